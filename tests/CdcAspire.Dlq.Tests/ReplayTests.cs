using CdcAspire.Dlq.Tests.Infrastructure;
using CdcAspire.Dlq.V1;
using Grpc.Core;

namespace CdcAspire.Dlq.Tests;

/// <summary>
/// The direct topology end to end: a strict mapping rejects a new column, the dead letters are listed and counted
/// through the gRPC API, the mapping is fixed, a replay makes every document equal its row, never stale.
/// </summary>
public sealed class ReplayTests(PostgresFixture postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string RejectedType = "strict_dynamic_mapping_exception";

    [Fact]
    public async Task FixingTheMappingAndReplayingMakesEveryDocumentEqualItsRowAndNeverStale()
    {
        await using var s = await RejectingScenarioAsync("fix", products: 8);
        var byTable = new Filter { Table = "public.products", ErrorType = RejectedType };

        var stats = await s.Client.GetStatsAsync(new GetStatsRequest(), cancellationToken: Ct);
        Assert.Equal(8, stats.ByState["pending"]);
        Assert.Equal(8, stats.ByTable["public.products"]);
        Assert.Equal(8, stats.ByErrorType[RejectedType]);
        Assert.Contains(stats.Groups, g => g.Table == "public.products" && g.ErrorType == RejectedType && g.Count == 8 && g.SampleReason.Contains("color", StringComparison.Ordinal));
        Assert.Equal("closed", stats.Breaker.State);

        // Before the fix a replay fails again, with Elasticsearch's error, and counts an attempt.
        var (before, beforeSummary) = await s.ReplayAsync(byTable);
        Assert.Equal(8, beforeSummary.Failed);
        Assert.All(before, r => Assert.Equal(RejectedType, r.ErrorType));
        Assert.All((await s.ListAsync(byTable)).DeadLetters, l => Assert.Equal(1, l.Attempts));

        await Mappings.AddKeywordFieldAsync(s.Elasticsearch.Uri, "products", "color");
        // A newer change to product 4 and the deletion of product 5 since the rejected changes: the replay must
        // leave the newer state and no document (product 5's tombstone is past index.gc_deletes by then).
        await s.ExecuteAsync("UPDATE products SET color = 'blue' WHERE id = 4; DELETE FROM products WHERE id = 5");
        await s.EventuallyAsync(() => Task.FromResult(s.Elasticsearch.GetDocument("products", "4")?.Source),
            src => src?.Contains("blue", StringComparison.Ordinal) == true, DlqScenario.Wait, "the newer state of product 4");
        await s.EventuallyAsync(() => Task.FromResult(s.Elasticsearch.GetDocument("products", "5") is null), gone => gone, DlqScenario.Wait, "product 5 to be deleted");
        await Task.Delay(50, Ct);

        var (results, summary) = await s.ReplayAsync(byTable);

        Assert.Equal(8, results.Count);
        Assert.Equal(0, summary.Failed);
        Assert.Equal(7, summary.Indexed + summary.Superseded);
        Assert.Equal(1, summary.Deleted);
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), results.Select(r => r.Done).Order());
        Assert.All(results, r => Assert.Equal(8, r.Total));
        Assert.Empty(await s.DifferencesAsync("products"));
        Assert.Null(s.Elasticsearch.GetDocument("products", "5"));

        var after = await s.Client.GetStatsAsync(new GetStatsRequest(), cancellationToken: Ct);
        Assert.Equal(0, after.ByState["pending"]);
        Assert.Equal(8, after.ByState["resolved"]);
        var four = (await s.ListAsync(new Filter { Table = "public.products", States = { State.Resolved } })).DeadLetters.Single(l => l.DocumentId == "4");
        var detail = await s.Client.GetAsync(new GetRequest { Id = four.Id }, cancellationToken: Ct);
        Assert.Contains("red", detail.Document, StringComparison.Ordinal);
        Assert.Equal([Outcome.Failed, Outcome.Indexed], detail.History.Select(h => h.Outcome));
        Assert.All(detail.History, h => Assert.Equal("replay", h.Action));
    }

    [Fact]
    public async Task ChangingCallsNeedTheTokenAFilterAndAnIdThatExists()
    {
        await using var s = await RejectingScenarioAsync("errors", products: 1);

        var noToken = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = s.Client.Replay(new ReplayRequest { Filter = new Filter { All = true } }, cancellationToken: Ct);
            await call.ResponseStream.MoveNext(Ct);
        });
        Assert.Equal(StatusCode.Unauthenticated, noToken.StatusCode);
        Assert.Contains("token", noToken.Status.Detail, StringComparison.OrdinalIgnoreCase);

        var noFilter = await Assert.ThrowsAsync<RpcException>(() => s.ReplayAsync(new Filter()));
        Assert.Equal(StatusCode.InvalidArgument, noFilter.StatusCode);
        Assert.Contains("all", noFilter.Status.Detail, StringComparison.Ordinal);

        var unknown = await Assert.ThrowsAsync<RpcException>(async () => await s.Client.GetAsync(new GetRequest { Id = 987654 }, cancellationToken: Ct));
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("987654", unknown.Status.Detail, StringComparison.Ordinal);

        var noReason = await Assert.ThrowsAsync<RpcException>(async () =>
            await s.Client.DiscardAsync(new DiscardRequest { Filter = new Filter { All = true } }, DlqScenario.Authorized, cancellationToken: Ct));
        Assert.Equal(StatusCode.InvalidArgument, noReason.StatusCode);

        var discarded = await s.Client.DiscardAsync(
            new DiscardRequest { Filter = new Filter { All = true }, Reason = "column color is going away" }, DlqScenario.Authorized, cancellationToken: Ct);
        Assert.Equal(1, discarded.Discarded);
        var letter = (await s.ListAsync(new Filter { States = { State.Discarded } })).DeadLetters.Single();
        var detail = await s.Client.GetAsync(new GetRequest { Id = letter.Id }, cancellationToken: Ct);
        Assert.Equal("discard", detail.History.Single().Action);
        Assert.Equal("column color is going away", detail.History.Single().Detail);
    }

    [Fact]
    public async Task ADlqServiceKilledMidReplayLosesNothingAndTheNextReplayLeavesTheSameResult()
    {
        await using var s = await RejectingScenarioAsync("kill", products: 12, dlqBatchSize: 1);
        await Mappings.AddKeywordFieldAsync(s.Elasticsearch.Uri, "products", "color");
        s.Elasticsearch.Faults.DelayRequests(TimeSpan.FromMilliseconds(300));

        using (var call = s.Client.Replay(new ReplayRequest { Filter = new Filter { Table = "public.products" } }, DlqScenario.Authorized, cancellationToken: Ct))
        {
            var seen = 0;
            while (seen < 3 && await call.ResponseStream.MoveNext(Ct))
            {
                seen++;
            }

            s.Dlq!.Kill();
        }

        s.Elasticsearch.Faults.Clear();
        var resolvedBeforeRestart = await s.ScalarAsync<long>("SELECT count(*) FROM cdc.dead_letters WHERE status = 'resolved'");
        Assert.InRange(resolvedBeforeRestart, 3, 11);

        await s.StartDlqAsync();
        // The killed replay's claim lapses (Dlq:ClaimTimeout = 3 s), then a new replay takes everything left.
        await s.EventuallyAsync(async () =>
        {
            await s.ReplayAsync(new Filter { Table = "public.products" });
            return await s.ScalarAsync<long>("SELECT count(*) FROM cdc.dead_letters WHERE status <> 'resolved'");
        }, left => left == 0, DlqScenario.Wait, "every dead letter to be resolved");

        Assert.Empty(await s.DifferencesAsync("products"));
        // Exactly one successful replay recorded per letter: a result is written only by the claim's holder.
        var successes = await s.ScalarAsync<long>(
            "SELECT count(*) FROM cdc.dead_letters, jsonb_array_elements(history) h WHERE h->>'outcome' IN ('indexed', 'deleted', 'superseded')");
        Assert.Equal(12, successes);
    }

    [Fact]
    public async Task ConcurrentReplaysOfTheSameDeadLettersReplayEachOnce()
    {
        await using var s = await RejectingScenarioAsync("concurrent", products: 6, dlqBatchSize: 2);
        await Mappings.AddKeywordFieldAsync(s.Elasticsearch.Uri, "products", "color");
        var first = s.Client;
        await s.StartDlqAsync();
        var second = s.Client;
        s.Elasticsearch.Faults.DelayRequests(TimeSpan.FromMilliseconds(200));

        var filter = new Filter { Table = "public.products" };
        var replays = await Task.WhenAll(s.ReplayAsync(filter, first), s.ReplayAsync(filter, second));

        var done = replays.SelectMany(r => r.Results).Where(r => r.Outcome != Outcome.Skipped).ToList();
        Assert.Equal(6, done.Count);
        Assert.Equal(6, done.Select(r => r.Id).Distinct().Count());
        Assert.All(done, r => Assert.NotEqual(Outcome.Failed, r.Outcome));
        Assert.Equal(6, replays.Sum(r => r.Summary.Indexed + r.Summary.Superseded + r.Summary.Deleted));
        Assert.Empty(await s.DifferencesAsync("products"));
    }

    /// <summary>
    /// Sink and DLQ running, <paramref name="products"/> products converged, then a column the strict mapping does
    /// not know is added and set on every product: each update becomes a dead letter.
    /// </summary>
    private async Task<DlqScenario> RejectingScenarioAsync(string prefix, int products, int dlqBatchSize = 100)
    {
        var s = await DlqScenario.CreateAsync(postgres, prefix);
        s.DlqEnvironment["Dlq__BatchSize"] = dlqBatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await s.ExecuteAsync($"DELETE FROM products WHERE id > {products}; INSERT INTO products (name, price) SELECT 'product ' || g, g FROM generate_series(4, {products}) g");
        await Mappings.CreateProductsIndexAsync(s.Elasticsearch.Uri, gcDeletes: "1ms");
        s.StartSink();
        await s.AssertConvergesAsync("products");
        await s.StartDlqAsync();
        await s.ExecuteAsync("ALTER TABLE products ADD COLUMN color text; UPDATE products SET color = 'red'");
        await s.EventuallyAsync(async () => (await s.ListAsync(new Filter { ErrorType = RejectedType })).Total,
            n => n == products, DlqScenario.Wait, $"{products} dead letters");
        return s;
    }
}

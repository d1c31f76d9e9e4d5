using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CdcAspire.Consistency.Resync;
using CdcAspire.Consistency.V1;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CdcAspire.Consistency.Tests;

/// <summary>
/// Issue 12, "Resync without downtime": the sink and the consistency service as processes, `cdc resync` as a process,
/// an insert-only workload and a search loop on the alias, against real PostgreSQL and the Elasticsearch test server.
/// </summary>
public sealed class ResyncTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task ResyncUnderInsertsKeepsEverySearchAnsweringWithNoFewerHitsThenChecksClean()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await Scenario.CreateAsync(postgres, "resync");
        await s.ExecuteAsync("INSERT INTO products (name, price, category, tags) SELECT 'Seed ' || g, g + 0.5, 'Load', ARRAY['s'] FROM generate_series(1, 5000) g");
        s.StartSink();
        await s.AssertConvergesAsync(Converge);
        Assert.Equal(["products-v1"], s.Elasticsearch.AliasTargets("products"));
        var token = "resync-token-" + s.Name;
        await using var service = ServiceProcess.Start(s.Environment, token);
        await service.WaitReadyAsync(TimeSpan.FromSeconds(60));

        using var http = Http(s);
        var before = await s.ScalarAsync<long>("SELECT count(*) FROM products");
        await Scenario.EventuallyAsync(async () => await HitsAsync(http, ct) == before, TimeSpan.FromSeconds(20), "the search to see every row before the resync");

        using var stop = new CancellationTokenSource();
        var inserts = InsertOnlyAsync(s, stop.Token);
        var searches = SearchLoopAsync(s, http, stop.Token);

        var (code, stdout, output) = await CliAsync(["resync", "public.products", "--json", "--consistency", "http://" + service.GrpcTarget, "--token", token], ct);

        await stop.CancelAsync();
        var inserted = await inserts;
        var seen = await searches;
        Assert.True(code == 0, $"cdc resync exited {code}: {output}\n--- service ---\n{service.Output}");
        using (var json = JsonDocument.Parse(stdout))
        {
            Assert.Equal("done", json.RootElement.GetProperty("stage").GetString());
            Assert.Equal("products-v2", json.RootElement.GetProperty("newIndex").GetString());
            Assert.Equal("products-v1", json.RootElement.GetProperty("oldIndex").GetString());
            Assert.True(json.RootElement.GetProperty("completed").GetBoolean());
        }

        Assert.Empty(seen.Errors);
        Assert.True(seen.Searches > 20, $"only {seen.Searches} searches ran during the resync");
        Assert.True(seen.MinHits >= before, $"a search on the alias saw {seen.MinHits} hits; the table had {before} before the resync");
        Assert.True(seen.SawBothIndices, "the new index was never seen being built beside the live one");
        Assert.True(inserted > 10, $"only {inserted} inserts ran during the resync");
        Assert.Equal(["products-v2"], s.Elasticsearch.AliasTargets("products"));
        Assert.DoesNotContain("products-v1", s.Elasticsearch.IndexNames); // dropped by default

        await s.AssertConvergesAsync(Converge);
        foreach (var table in new[] { "products", "users", "orders" })
        {
            var result = await s.CheckAsync(table);
            Assert.Equal((0L, 0L, 0L, ""), (result.Missing, result.Extra, result.Mismatched, result.Error));
        }

        // Once more, keeping the old index: the alias moves to v3, v2 stays as a plain index.
        (code, _, output) = await CliAsync(["resync", "public.products", "--keep-old-index", "--consistency", "http://" + service.GrpcTarget, "--token", token], ct);
        Assert.True(code == 0, $"cdc resync --keep-old-index exited {code}: {output}\n--- service ---\n{service.Output}");
        Assert.Equal(["products-v3"], s.Elasticsearch.AliasTargets("products"));
        Assert.True(s.Elasticsearch.IsConcreteIndex("products-v2"));
        var after = await s.CheckAsync("products");
        Assert.Equal((0L, 0L, 0L, ""), (after.Missing, after.Extra, after.Mismatched, after.Error));

        // Without the token the service refuses.
        (code, _, output) = await CliAsync(["resync", "public.products", "--consistency", "http://" + service.GrpcTarget], ct);
        Assert.NotEqual(0, code);
    }

    [Fact]
    public async Task ASinkRestartMidResyncIsHarmlessAndAResyncWithoutASinkIsAbandonedCleanly()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await Scenario.CreateAsync(postgres, "resync_restart");
        s.Environment["Consistency__ResyncSinkTimeout"] = "00:00:03";
        s.Environment["Consistency__PageSize"] = "200";
        await s.ExecuteAsync("INSERT INTO products (name, price, category, tags) SELECT 'Seed ' || g, g + 0.5, 'Load', ARRAY['s'] FROM generate_series(1, 4000) g");
        s.StartSink();
        await s.AssertConvergesAsync(Converge);
        var runner = s.Services.GetRequiredService<ResyncRunner>();

        // The sink is killed while the snapshot runs and started again: its new run writes into both indices from its
        // first change (it reads the resyncs table before dispatching), the resync waits for it and completes.
        var stages = new List<ResyncProgress>();
        var restarted = 0;
        await using (var workload = new Workload(s))
        {
            await runner.RunAsync(TableId.Parse("public.products"), keepOldIndex: false, p =>
            {
                lock (stages)
                {
                    stages.Add(p);
                }

                if (p.Stage == "snapshotting" && p.RowsDone >= 1000 && Interlocked.Exchange(ref restarted, 1) == 0)
                {
                    s.Sink!.Kill();
                    s.StartSink();
                }
            }, ct);
        }

        Assert.Equal(1, restarted);
        Assert.True(stages[^1].Stage == "done", $"last stage {stages[^1].Stage}: {stages[^1].Detail}\n{s.Sink?.Output}");
        Assert.Equal(["creating", "snapshotting", "catching-up", "swapping", "done"], stages.Select(p => p.Stage).Distinct().ToArray());
        Assert.Equal(["products-v2"], s.Elasticsearch.AliasTargets("products"));
        await s.AssertConvergesAsync(Converge);
        var result = await s.CheckAsync("products");
        Assert.Equal((0L, 0L, 0L, ""), (result.Missing, result.Extra, result.Mismatched, result.Error));

        // No sink: nobody confirms the dual write, so the resync is abandoned; the alias never moved.
        await s.StopSinkAsync();
        stages.Clear();
        await runner.RunAsync(TableId.Parse("public.products"), keepOldIndex: false, stages.Add, ct);
        Assert.Equal("failed", stages[^1].Stage);
        Assert.Contains("did not confirm", stages[^1].Detail, StringComparison.Ordinal);
        Assert.Equal(["products-v2"], s.Elasticsearch.AliasTargets("products"));
        Assert.Equal(0, await s.ScalarAsync<long>($"SELECT count(*) FROM cdc.resyncs WHERE state = 'building'"));

        // The next sink start releases the abandoned resync (it never writes into products-v3 again).
        s.StartSink();
        await Scenario.EventuallyAsync(async () => await s.ScalarAsync<long>("SELECT count(*) FROM cdc.resyncs WHERE released_at IS NULL") == 0,
            TimeSpan.FromSeconds(30), "the sink to release the abandoned resync");
    }

    [Fact]
    public async Task AtStartTheServiceSettlesResyncsACrashLeftBuilding()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await Scenario.CreateAsync(postgres, "resync_recover");
        s.StartSink();
        await s.AssertConvergesAsync(Converge);

        // As a crashed service leaves them: products before its swap (the sink dual-writes into products-v2), users
        // after its swap (the alias already on users-v2).
        await s.SendAsync(HttpMethod.Put, "products-v2", "{}");
        await s.SendAsync(HttpMethod.Put, "users-v2", "{}");
        await s.SendAsync(HttpMethod.Post, "_aliases", """{"actions":[{"remove":{"index":"users-v1","alias":"users"}},{"add":{"index":"users-v2","alias":"users"}}]}""");
        await s.ExecuteAsync("""
            CREATE SCHEMA IF NOT EXISTS cdc;
            CREATE TABLE IF NOT EXISTS cdc.resyncs (id bigserial PRIMARY KEY, table_name text NOT NULL, alias text NOT NULL, old_index text NOT NULL,
                new_index text NOT NULL, state text NOT NULL DEFAULT 'building', keep_old_index boolean NOT NULL DEFAULT false,
                started_at timestamptz NOT NULL DEFAULT now(), dual_write_confirmed_at timestamptz, released_at timestamptz, finished_at timestamptz, detail text);
            INSERT INTO cdc.resyncs (table_name, alias, old_index, new_index) VALUES ('public.products', 'products', 'products-v1', 'products-v2'),
                ('public.users', 'users', 'users-v1', 'users-v2');
            """);
        await Scenario.EventuallyAsync(async () => await s.ScalarAsync<long>("SELECT count(*) FROM cdc.resyncs WHERE dual_write_confirmed_at IS NOT NULL") == 2,
            TimeSpan.FromSeconds(30), "the sink to dual-write");
        await s.ExecuteAsync("INSERT INTO products (name, price, category, tags) VALUES ('During', 1.5, 'Load', ARRAY['d'])");
        var id = await s.ScalarAsync<int>("SELECT max(id) FROM products");
        await Scenario.EventuallyAsync(() => Task.FromResult(s.Elasticsearch.GetDocument("products-v2", id.ToString(System.Globalization.CultureInfo.InvariantCulture)) is not null),
            TimeSpan.FromSeconds(30), "the dual write into products-v2");

        await using var service = ServiceProcess.Start(s.Environment, "recover-token");
        await Scenario.EventuallyAsync(async () => await s.ScalarAsync<long>("SELECT count(*) FROM cdc.resyncs WHERE state = 'building' OR released_at IS NULL") == 0
                && !s.Elasticsearch.IndexNames.Contains("products-v2"),
            TimeSpan.FromSeconds(60), "the service to settle both resyncs");

        Assert.Equal("abandoned", await s.ScalarAsync<string>("SELECT state FROM cdc.resyncs WHERE alias = 'products'"));
        Assert.Equal(["products-v1"], s.Elasticsearch.AliasTargets("products"));
        Assert.Equal("done", await s.ScalarAsync<string>("SELECT state FROM cdc.resyncs WHERE alias = 'users'"));
        Assert.Equal(["users-v2"], s.Elasticsearch.AliasTargets("users"));
        Assert.DoesNotContain("users-v1", s.Elasticsearch.IndexNames);
    }

    private static HttpClient Http(Scenario s)
    {
        var http = new HttpClient { BaseAddress = s.Elasticsearch.Uri, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"elastic:es-secret-{s.Name}")));
        return http;
    }

    /// <summary>Hits of a search on the alias, as an application would run it.</summary>
    private static async Task<long> HitsAsync(HttpClient http, CancellationToken ct)
    {
        using var content = new StringContent("""{"size":0,"track_total_hits":true,"query":{"match_all":{}}}""", Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("products/_search", content, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode}: {body}");
        }

        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("hits").GetProperty("total").GetProperty("value").GetInt64();
    }

    private sealed record SearchLog(int Searches, long MinHits, List<string> Errors, bool SawBothIndices);

    private static async Task<SearchLog> SearchLoopAsync(Scenario s, HttpClient http, CancellationToken stop)
    {
        var errors = new List<string>();
        long min = long.MaxValue;
        var searches = 0;
        var sawBoth = false;
        var started = Stopwatch.StartNew();
        while (!stop.IsCancellationRequested && started.Elapsed < TimeSpan.FromMinutes(3))
        {
            try
            {
                min = Math.Min(min, await HitsAsync(http, CancellationToken.None));
                searches++;
                sawBoth |= s.Elasticsearch.AliasTargets("products") is ["products-v1"] && s.Elasticsearch.IsConcreteIndex("products-v2");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                errors.Add(ex.Message);
            }

            await Task.Delay(10, CancellationToken.None);
        }

        return new SearchLog(searches, min, errors, sawBoth);
    }

    private static async Task<int> InsertOnlyAsync(Scenario s, CancellationToken stop)
    {
        var count = 0;
        for (var i = 0; i < 20_000 && !stop.IsCancellationRequested; i++)
        {
            await s.ExecuteAsync($"INSERT INTO products (name, price, category, tags) VALUES ('Insert {i}', {i % 500}.25, 'Load', ARRAY['i'])");
            count++;
            await Task.Delay(5, CancellationToken.None);
        }

        return count;
    }

    /// <summary>Runs <c>cdc</c>: its exit code, standard output (the JSON with --json), and both outputs for messages.</summary>
    private static async Task<(int Code, string Stdout, string Output)> CliAsync(string[] args, CancellationToken ct)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Repository.BuiltAssembly("services/CdcAspire.Cli", "cdc.dll"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["CDC_API_TOKEN"] = null;
        start.Environment["services__consistency__grpc__0"] = null;
        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(4));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        var (output, error) = (await stdout, await stderr);
        return (process.ExitCode, output, output + "\n" + error);
    }
}

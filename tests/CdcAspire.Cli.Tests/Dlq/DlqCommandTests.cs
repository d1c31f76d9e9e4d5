using CdcAspire.Cli.Tests.Fakes;
using CdcAspire.Cli.Tests.Infrastructure;
using CdcAspire.Dlq.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CdcAspire.Cli.Tests.Dlq;

/// <summary><c>cdc dlq ...</c> run as a process against a fake DlqService served like the real one.</summary>
public sealed class DlqCommandTests : IAsyncLifetime
{
    private readonly FakeDlqService _dlq = new();
    private FakeServer _server = null!;

    private string Dlq => _server.Url;

    public async ValueTask InitializeAsync() =>
        _server = await FakeServer.StartAsync(s => s.AddSingleton(_dlq), app => app.MapGrpcService<FakeDlqService>());

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ListJsonIsAnArrayWithTheContractFieldsAcrossPagesAndSendsTheFilter()
    {
        var (exitCode, output, error) = await Cdc.RunAsync(["dlq", "list", "--dlq", Dlq, "--table", "public.products", "--reason", "mapper_parsing_exception", "--json"]);

        Assert.True(exitCode == 0, error);
        var letters = Json.Parse(output).EnumerateArray().ToList();
        Assert.Equal([3L, 2L], letters.Select(l => l.Long("id")));
        Assert.All(letters, l =>
        {
            Assert.Equal("public.products", l.Str("table"));
            Assert.Equal("mapper_parsing_exception", l.Str("errorType"));
            Assert.Equal("pending", l.Str("state"));
            Assert.StartsWith("products:", l.Str("documentId"), StringComparison.Ordinal);
        });
        var request = _dlq.Requests.OfType<ListRequest>().First();
        Assert.Equal("public.products", request.Filter.Table);
        Assert.Equal("mapper_parsing_exception", request.Filter.ErrorType);
    }

    [Fact]
    public async Task ListFollowsPagesAndTheAspireVariableFindsTheService()
    {
        var (exitCode, output, _) = await Cdc.RunAsync(["dlq", "list", "--json"], new Dictionary<string, string?> { ["services__dlq__grpc__0"] = Dlq });

        Assert.Equal(0, exitCode);
        Assert.Equal(3, Json.Parse(output).GetArrayLength());
        Assert.True(_dlq.Requests.OfType<ListRequest>().Count() >= 2);
    }

    [Fact]
    public async Task StatsJsonHasCountsByStateTableAndErrorType()
    {
        var (exitCode, output, _) = await Cdc.RunAsync(["dlq", "stats", "--dlq", Dlq, "--json"]);
        var (textCode, text, _) = await Cdc.RunAsync(["dlq", "stats", "--dlq", Dlq]);

        Assert.Equal(0, exitCode);
        var stats = Json.Parse(output);
        Assert.Equal(3, stats.GetProperty("byState").Long("pending"));
        Assert.Equal(2, stats.GetProperty("byTable").Long("public.products"));
        Assert.Equal(1, stats.GetProperty("byErrorType").Long("document_parsing_exception"));
        Assert.Equal("open", stats.GetProperty("breaker").Str("state"));
        Assert.Equal(0, textCode);
        Assert.Contains("replay breaker: open (Elasticsearch unreachable), retry at", text, StringComparison.Ordinal);
        Assert.Contains("mapper_parsing_exception", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShowPrintsTheDocumentAndHistoryAndAnUnknownIdIsARemoteErrorNamingIt()
    {
        var (exitCode, output, _) = await Cdc.RunAsync(["dlq", "show", "2", "--dlq", Dlq]);
        var (missingCode, _, missingError) = await Cdc.RunAsync(["dlq", "show", "999", "--dlq", Dlq]);

        Assert.Equal(0, exitCode);
        Assert.Contains("{\"price\":\"abc\"}", output, StringComparison.Ordinal);
        Assert.Contains("0/16B3748", output, StringComparison.Ordinal);
        Assert.Contains("retry", output, StringComparison.Ordinal);
        Assert.Equal(1, missingCode);
        Assert.Contains("NotFound", missingError, StringComparison.Ordinal);
        Assert.Contains("999", missingError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplayNeedsTheTokenAndASelection()
    {
        var (noToken, _, noTokenError) = await Cdc.RunAsync(["dlq", "replay", "--all", "--dlq", Dlq]);
        var (noSelection, _, noSelectionError) = await Cdc.RunAsync(["dlq", "replay", "--dlq", Dlq, "--token", FakeServer.Token]);

        Assert.Equal(4, noToken);
        Assert.Contains("Unauthenticated", noTokenError, StringComparison.Ordinal);
        Assert.Equal(2, noSelection);
        Assert.Contains("--all", noSelectionError, StringComparison.Ordinal);
        Assert.Empty(_dlq.Requests.OfType<ReplayRequest>());
    }

    [Fact]
    public async Task ReplayJsonCountsOutcomesAndExitsZeroWhenNothingFailed()
    {
        var env = new Dictionary<string, string?> { ["CDC_API_TOKEN"] = FakeServer.Token };

        var (exitCode, output, error) = await Cdc.RunAsync(["dlq", "replay", "--all", "--dlq", Dlq, "--json"], env);

        Assert.True(exitCode == 0, error);
        var summary = Json.Parse(output);
        Assert.Equal(1, summary.Long("indexed"));
        Assert.Equal(1, summary.Long("deleted"));
        Assert.Equal(1, summary.Long("superseded"));
        Assert.Equal(0, summary.Long("failed"));
        Assert.DoesNotContain(FakeServer.Token, output + error, StringComparison.Ordinal);
        Assert.True(_dlq.Requests.OfType<ReplayRequest>().Single().Filter.All);
    }

    [Fact]
    public async Task ReplayOfOneIdThatFailsAgainSaysWhyAndExitsFive()
    {
        _dlq.ReplayOutcomes.Clear();
        _dlq.ReplayOutcomes.Add(Outcome.Failed);

        var (exitCode, output, _) = await Cdc.RunAsync(["dlq", "replay", "2", "--dlq", Dlq, "--token", FakeServer.Token]);

        Assert.Equal(5, exitCode);
        Assert.Contains("failed again: 2 mapper_parsing_exception: still wrong", output, StringComparison.Ordinal);
        Assert.Contains("failed 1", output, StringComparison.Ordinal);
        Assert.Equal([2L], _dlq.Requests.OfType<ReplayRequest>().Single().Filter.Ids);
    }

    [Fact]
    public async Task DiscardKeepsTheNoteAndNeedsTheToken()
    {
        var (noToken, _, _) = await Cdc.RunAsync(["dlq", "discard", "--reason", "document_parsing_exception", "--note", "too large, dropped", "--dlq", Dlq]);
        var (exitCode, output, _) = await Cdc.RunAsync(["dlq", "discard", "--reason", "document_parsing_exception", "--note", "too large, dropped", "--dlq", Dlq, "--token", FakeServer.Token, "--json"]);
        var (noNote, _, _) = await Cdc.RunAsync(["dlq", "discard", "1", "--dlq", Dlq, "--token", FakeServer.Token]);

        Assert.Equal(4, noToken);
        Assert.Equal(0, exitCode);
        Assert.Equal(1, Json.Parse(output).Long("discarded"));
        var request = _dlq.Requests.OfType<DiscardRequest>().Single();
        Assert.Equal("too large, dropped", request.Reason);
        Assert.Equal("document_parsing_exception", request.Filter.ErrorType);
        Assert.Equal(2, noNote);
    }

    [Fact]
    public async Task UnreachableOrMissingServiceSaysSoInOneLine()
    {
        var (unreachable, _, error) = await Cdc.RunAsync(["dlq", "stats", "--dlq", "http://127.0.0.1:1", "--timeout", "00:00:05"]);
        var (missing, _, missingError) = await Cdc.RunAsync(["dlq", "stats"]);

        Assert.Equal(3, unreachable);
        Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith("cdc: Unavailable", error, StringComparison.Ordinal);
        Assert.Contains("dlq service at http://127.0.0.1:1", error, StringComparison.Ordinal);
        Assert.Equal(2, missing);
        Assert.Contains("services__dlq__grpc__0", missingError, StringComparison.Ordinal);
    }
}

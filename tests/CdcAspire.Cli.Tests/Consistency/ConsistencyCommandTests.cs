using CdcAspire.Cli.Tests.Fakes;
using CdcAspire.Cli.Tests.Infrastructure;
using CdcAspire.Consistency.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CdcAspire.Cli.Tests.Consistency;

/// <summary><c>cdc check|repair|resync</c> run as a process against a fake ConsistencyService.</summary>
public sealed class ConsistencyCommandTests : IAsyncLifetime
{
    private readonly FakeConsistencyService _service = new();
    private FakeServer _server = null!;

    private string Url => _server.Url;

    public async ValueTask InitializeAsync() =>
        _server = await FakeServer.StartAsync(s => s.AddSingleton(_service), app => app.MapGrpcService<FakeConsistencyService>());

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task CheckJsonListsEachTableWithDifferencesAndExitsNonZero()
    {
        var (exitCode, output, _) = await Cdc.RunAsync(["check", "public.orders", "--mode", "sample", "--consistency", Url, "--json"]);

        Assert.Equal(5, exitCode);
        var table = Assert.Single(Json.Parse(output).EnumerateArray());
        Assert.Equal("public.orders", table.Str("table"));
        Assert.Equal(1, table.Long("missing"));
        Assert.Equal(1, table.Long("extra"));
        Assert.Equal(1, table.Long("mismatched"));
        var differences = table.GetProperty("differences").EnumerateArray().ToList();
        Assert.Equal(["missing", "extra", "mismatched"], differences.Select(d => d.Str("kind")));
        var field = Assert.Single(differences[2].GetProperty("fields").EnumerateArray());
        Assert.Equal("price", field.Str("field"));
        Assert.Equal("10.50", field.Str("rowValue"));
        Assert.Equal("10.5", field.Str("documentValue"));
        var request = _service.Requests.OfType<CheckRequest>().Single();
        Assert.Equal(Mode.Sample, request.Mode);
        Assert.Equal(["public.orders"], request.Tables);
    }

    [Fact]
    public async Task CheckOfAnExactCopyExitsZeroAndPrintsASummaryRowPerTable()
    {
        _service.Clean = true;

        var (exitCode, output, _) = await Cdc.RunAsync(["check", "--consistency", Url], new Dictionary<string, string?>());

        Assert.Equal(0, exitCode);
        Assert.Contains("public.orders", output, StringComparison.Ordinal);
        Assert.Contains("public.users", output, StringComparison.Ordinal);
        Assert.Equal(Mode.Full, _service.Requests.OfType<CheckRequest>().Single().Mode);
    }

    [Fact]
    public async Task CheckWithRepairNeedsTheTokenAndIsCleanWhenTheRepairSucceeded()
    {
        var (noToken, _, error) = await Cdc.RunAsync(["check", "public.orders", "--repair", "--consistency", Url]);
        var (exitCode, output, _) = await Cdc.RunAsync(["check", "public.orders", "--repair", "--consistency", Url, "--token", FakeServer.Token, "--json"]);

        Assert.Equal(4, noToken);
        Assert.Contains("Unauthenticated", error, StringComparison.Ordinal);
        Assert.Equal(0, exitCode);
        Assert.Equal(2, Json.Parse(output)[0].GetProperty("repaired").Long("indexed"));
    }

    [Fact]
    public async Task RepairSendsTheKeysAndExitsZeroOnlyWhenNothingFailed()
    {
        var (noToken, _, _) = await Cdc.RunAsync(["repair", "public.orders", "--consistency", Url]);
        var (ok, _, _) = await Cdc.RunAsync(["repair", "public.orders", "--keys", "7,8", "9", "--consistency", Url, "--token", FakeServer.Token]);
        _service.RepairFailures = 1;
        var (failed, _, _) = await Cdc.RunAsync(["repair", "public.orders", "--consistency", Url, "--token", FakeServer.Token]);

        Assert.Equal(4, noToken);
        Assert.Equal(0, ok);
        Assert.Equal(["7", "8", "9"], _service.Requests.OfType<RepairRequest>().First().Keys);
        Assert.Equal(5, failed);
    }

    [Fact]
    public async Task ResyncExitsZeroOnlyWhenItReachedDone()
    {
        var (noToken, _, _) = await Cdc.RunAsync(["resync", "public.orders", "--consistency", Url]);
        var (done, doneOutput, _) = await Cdc.RunAsync(["resync", "public.orders", "--consistency", Url, "--token", FakeServer.Token]);
        _service.ResyncEnd = "failed";
        var (failed, _, failedError) = await Cdc.RunAsync(["resync", "public.orders", "--consistency", Url, "--token", FakeServer.Token]);

        Assert.Equal(4, noToken);
        Assert.Equal(0, done);
        Assert.Contains("orders-v2", doneOutput, StringComparison.Ordinal);
        Assert.Equal(5, failed);
        Assert.Contains("Elasticsearch refused the alias swap", failedError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableServiceExitsThree()
    {
        var (exitCode, _, error) = await Cdc.RunAsync(["check", "--consistency", "http://127.0.0.1:1", "--timeout", "00:00:05"]);

        Assert.Equal(3, exitCode);
        Assert.StartsWith("cdc: Unavailable", error, StringComparison.Ordinal);
    }
}

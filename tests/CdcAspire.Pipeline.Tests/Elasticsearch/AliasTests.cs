using System.Text;
using System.Text.Json;
using CdcAspire.Pipeline.Elasticsearch;
using CdcAspire.Pipeline.Tests.Elasticsearch.Support;
using CdcAspire.Testing.Elasticsearch;

namespace CdcAspire.Pipeline.Tests.Elasticsearch;

/// <summary>Issue 12: the sink writes through aliases; a concrete index of the alias's name is migrated once.</summary>
public sealed class AliasTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("templates-").FullName;
    private readonly HttpClient _http = new();

    public AliasTests() => File.WriteAllText(Path.Combine(_folder, "things.json"),
        """{"index_patterns":["things","things-*"],"version":1,"template":{"settings":{"index":{"gc_deletes":"10m"}},"mappings":{"properties":{"name":{"type":"keyword"}}}}}""");

    [Fact]
    public async Task AFreshDeploymentWritesThroughAnAliasOverVersionOneWhichHasTheTemplate()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ElasticsearchTestServer.StartAsync(ct: ct);
        await using var pipeline = new PipelineUnderTest(server.Uri.ToString(), o => o.IndexTemplatesPath = _folder);
        var done = pipeline.Source.Insert(0, 5);
        await pipeline.WaitUntilAsync(() => pipeline.Source.LastAcknowledged >= done, TimeSpan.FromSeconds(30), "the rows");

        Assert.Equal(["things-v1"], server.AliasTargets("things"));
        Assert.False(server.IsConcreteIndex("things"));
        Assert.Equal(5, server.GetDocuments("things-v1").Count);
        Assert.Equal("keyword", await NameTypeAsync(server, "things-v1", ct));
    }

    [Fact]
    public async Task AnExistingConcreteIndexIsMigratedOnceWithEveryDocumentAndVersionAndOneLogLine()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ElasticsearchTestServer.StartAsync(ct: ct);
        // Written before aliases: a concrete "things" with a document the stream never touches, and one whose stored
        // version is newer than the stream's next write of it.
        await PutAsync(server, "things/_doc/100?version=5&version_type=external", """{"id":100,"name":"kept"}""", ct);
        await PutAsync(server, "things/_doc/1?version=900000000000&version_type=external", """{"id":1,"name":"newer than the stream"}""", ct);
        Assert.True(server.IsConcreteIndex("things"));
        var typeBefore = await NameTypeAsync(server, "things", ct); // dynamic: made before any template

        var log = new CapturingLogger();
        await using (var pipeline = new PipelineUnderTest(server.Uri.ToString(), o => o.IndexTemplatesPath = _folder, log))
        {
            var done = pipeline.Source.Insert(0, 5);
            await pipeline.WaitUntilAsync(() => pipeline.Source.LastAcknowledged >= done, TimeSpan.FromSeconds(30), "the rows");
        }

        Assert.Equal(["things-v1"], server.AliasTargets("things"));
        Assert.False(server.IsConcreteIndex("things"));
        var kept = server.GetDocument("things", "100");
        Assert.NotNull(kept);
        Assert.Equal(5, kept.Version);
        Assert.Contains("kept", kept.Source, StringComparison.Ordinal);
        var newer = server.GetDocument("things", "1");
        Assert.NotNull(newer);
        Assert.Equal(900000000000, newer.Version);
        Assert.Contains("newer than the stream", newer.Source, StringComparison.Ordinal);
        Assert.Equal(6, server.GetDocuments("things").Count); // 0..4 and 100
        Assert.Equal("text", typeBefore);
        Assert.Equal(typeBefore, await NameTypeAsync(server, "things-v1", ct)); // the old index's own mapping came along
        Assert.Single(log.Lines, l => l.Id.Id == 1042);

        // A second start finds the alias and migrates nothing.
        var again = new CapturingLogger();
        await using (var pipeline = new PipelineUnderTest(server.Uri.ToString(), o => o.IndexTemplatesPath = _folder, again))
        {
            var done = pipeline.Source.Insert(10, 2);
            await pipeline.WaitUntilAsync(() => pipeline.Source.LastAcknowledged >= done, TimeSpan.FromSeconds(30), "more rows");
        }

        Assert.DoesNotContain(again.Lines, l => l.Id.Id is 1041 or 1042 or 1040);
        Assert.Equal(8, server.GetDocuments("things").Count);
    }

    [Fact]
    public async Task MigrationAloneCopiesWithVersionsAndSwapsInOneRequest()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ElasticsearchTestServer.StartAsync(ct: ct);
        for (var i = 0; i < 2500; i++)
        {
            await PutAsync(server, $"things/_doc/{i}?version={i + 10}&version_type=external", $$"""{"id":{{i}},"name":"n{{i}}"}""", ct);
        }

        var client = SearchClusterClientFactory.Create(ElasticsearchEndpoint.Parse(server.Uri.ToString()), TimeSpan.FromSeconds(10), false,
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var log = new CapturingLogger();
        var target = await new AliasMigrator(client, log).EnsureAliasAsync("things", ScriptedSource.Table, ct);

        Assert.Equal("things-v1", target);
        Assert.Equal(["things-v1"], server.AliasTargets("things"));
        var docs = server.GetDocuments("things");
        Assert.Equal(2500, docs.Count);
        Assert.All(docs, d => Assert.Equal(long.Parse(d.Id, System.Globalization.CultureInfo.InvariantCulture) + 10, d.Version));
        Assert.Single(log.Lines, l => l.Id.Id == 1042);
        Assert.Equal("things-v1", await new AliasMigrator(client, log).EnsureAliasAsync("things", ScriptedSource.Table, ct));
        Assert.Single(log.Lines, l => l.Id.Id == 1042);
    }

    [Fact]
    public async Task AWriteIntoTheOldIndexDuringTheMigrationFailsVisiblyInsteadOfBeingLost()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ElasticsearchTestServer.StartAsync(ct: ct);
        await PutAsync(server, "things/_doc/1", """{"id":1}""", ct);
        var client = SearchClusterClientFactory.Create(ElasticsearchEndpoint.Parse(server.Uri.ToString()), TimeSpan.FromSeconds(10), false,
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        // What the migrator does before it copies; a writer that still names the concrete index is refused.
        await new IndexAliases(client).BlockWritesAsync("things", ct);
        using var content = new StringContent("""{"id":2}""", Encoding.UTF8, "application/json");
        using var refused = await _http.PutAsync(new Uri(server.Uri, "things/_doc/2"), content, ct);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("cluster_block_exception", await refused.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);

        Assert.Equal("things-v1", await new AliasMigrator(client, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).EnsureAliasAsync("things", ScriptedSource.Table, ct));
        Assert.Equal(["1"], server.GetDocuments("things").Select(d => d.Id).ToArray());
        await PutAsync(server, "things/_doc/2", """{"id":2}""", ct); // through the alias, into things-v1
        Assert.Equal(["things-v1"], server.AliasTargets("things"));
        Assert.NotNull(server.GetDocument("things-v1", "2"));
    }

    public void Dispose()
    {
        _http.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task PutAsync(ElasticsearchTestServer server, string path, string json, CancellationToken ct)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _http.PutAsync(new Uri(server.Uri, path), content, ct);
        Assert.True(response.IsSuccessStatusCode, $"PUT /{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }

    private async Task<string?> NameTypeAsync(ElasticsearchTestServer server, string index, CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(await _http.GetStringAsync(new Uri(server.Uri, $"{index}/_mapping"), ct));
        return doc.RootElement.GetProperty(index).GetProperty("mappings").GetProperty("properties").GetProperty("name").GetProperty("type").GetString();
    }
}

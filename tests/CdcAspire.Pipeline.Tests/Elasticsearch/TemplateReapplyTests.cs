using CdcAspire.Pipeline.Tests.Elasticsearch.Support;
using CdcAspire.Testing.Elasticsearch;

namespace CdcAspire.Pipeline.Tests.Elasticsearch;

/// <summary>Issue 10, item 5: an index that vanishes is recreated with its template, not with dynamic mappings.</summary>
public sealed class TemplateReapplyTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("templates-").FullName;
    private readonly HttpClient _http = new();

    public TemplateReapplyTests() => File.WriteAllText(Path.Combine(_folder, "things.json"),
        """{"index_patterns":["things","things-*"],"version":3,"template":{"settings":{"index":{"gc_deletes":"10m"}},"mappings":{"properties":{"name":{"type":"keyword"}}}}}""");

    [Fact]
    public async Task TemplatesDeletedWithTheIndexAreAppliedAgainWithinTheCheckInterval()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ElasticsearchTestServer.StartAsync(ct: ct);
        await using var pipeline = new PipelineUnderTest(server.Uri.ToString(), o =>
        {
            o.IndexTemplatesPath = _folder;
            o.Writer.TemplateCheckInterval = TimeSpan.FromMilliseconds(300);
        });
        var first = pipeline.Source.Insert(0, 5);
        await pipeline.WaitUntilAsync(() => pipeline.Source.LastAcknowledged >= first, TimeSpan.FromSeconds(30), "first rows");
        Assert.Equal("keyword", await NameTypeAsync(server, ct));

        await DeleteAsync(server, "things-v1", ct); // the concrete index behind the "things" alias
        await DeleteAsync(server, "_index_template/things", ct);
        await Task.Delay(400, ct);
        var second = pipeline.Source.Insert(5, 5);
        await pipeline.WaitUntilAsync(() => pipeline.Source.LastAcknowledged >= second, TimeSpan.FromSeconds(30), "rows after the index vanished");

        Assert.Equal("keyword", await NameTypeAsync(server, ct));
        Assert.Equal(3, await pipeline.Client.GetIndexTemplateVersionAsync("things", ct));
    }

    [Fact]
    public async Task AfterAnOutageTemplatesAreCheckedBeforeTheFirstWriteEvenWithinTheInterval()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ElasticsearchTestServer.StartAsync(ct: ct);
        var log = new CapturingLogger();
        await using var pipeline = new PipelineUnderTest(server.Uri.ToString(), o =>
        {
            o.IndexTemplatesPath = _folder;
            o.Writer.TemplateCheckInterval = TimeSpan.FromHours(1);
            o.Writer.Lanes = 1; // every write of the batch meets the outage (with more lanes one could slip past the 3 drops)
        }, log);
        var first = pipeline.Source.Insert(0, 5);
        await pipeline.WaitUntilAsync(() => pipeline.Source.LastAcknowledged >= first, TimeSpan.FromSeconds(30), "first rows");

        // Elasticsearch "replaced": unreachable for a while, and back without our index or template.
        await DeleteAsync(server, "things-v1", ct); // the concrete index behind the "things" alias
        await DeleteAsync(server, "_index_template/things", ct);
        server.Faults.DropNextConnections(3);
        var second = pipeline.Source.Insert(5, 5);
        await pipeline.WaitUntilAsync(() => pipeline.Source.LastAcknowledged >= second, TimeSpan.FromSeconds(30), "rows after the outage");

        Assert.True("keyword" == await NameTypeAsync(server, ct), string.Join("\n", log.Lines.Select(l => $"{l.Level} {l.Id.Id} {l.Message}")));
    }

    public void Dispose()
    {
        _http.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task DeleteAsync(ElasticsearchTestServer server, string path, CancellationToken ct)
    {
        using var response = await _http.DeleteAsync(new Uri(server.Uri, path), ct);
        Assert.True(response.IsSuccessStatusCode, $"DELETE /{path}: {(int)response.StatusCode}");
    }

    private async Task<string?> NameTypeAsync(ElasticsearchTestServer server, CancellationToken ct)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(await _http.GetStringAsync(new Uri(server.Uri, "things/_mapping"), ct));
        // Keyed by the concrete index: things-v1 behind the alias, or "things" auto-created after it vanished.
        return doc.RootElement.EnumerateObject().First().Value.GetProperty("mappings").GetProperty("properties").GetProperty("name").GetProperty("type").GetString();
    }
}

using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Elasticsearch;
using CdcAspire.Testing.Elasticsearch;
using Microsoft.Extensions.Logging.Abstractions;

namespace CdcAspire.Pipeline.Tests.Elasticsearch;

public sealed class IndexTemplateApplierTests
{
    [Fact]
    public async Task TemplatesAreCreatedThenReplacedOnlyWhenTheirVersionChanges()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ElasticsearchTestServer.StartAsync(ct: ct);
        var client = SearchClusterClientFactory.Create(ElasticsearchEndpoint.Parse(server.Uri.ToString()), TimeSpan.FromSeconds(30));
        var folder = Directory.CreateTempSubdirectory("templates-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "things.json"), Template(1, "keyword"), ct);
            await IndexTemplateApplier.ApplyAsync(client, folder, NullLogger.Instance, ct);
            Assert.Equal(1, await client.GetIndexTemplateVersionAsync("things", ct));

            await File.WriteAllTextAsync(Path.Combine(folder, "things.json"), Template(2, "text"), ct);
            await IndexTemplateApplier.ApplyAsync(client, folder, NullLogger.Instance, ct);
            Assert.Equal(2, await client.GetIndexTemplateVersionAsync("things", ct));
            Assert.Null(await client.GetIndexTemplateVersionAsync("missing", ct));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task ABrokenTemplateFileStopsTheStartWithItsName()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ElasticsearchTestServer.StartAsync(ct: ct);
        var client = SearchClusterClientFactory.Create(ElasticsearchEndpoint.Parse(server.Uri.ToString()), TimeSpan.FromSeconds(30));
        var folder = Directory.CreateTempSubdirectory("templates-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "broken.json"), "{ not json", ct);
            var ex = await Assert.ThrowsAsync<PipelineException>(() => IndexTemplateApplier.ApplyAsync(client, folder, NullLogger.Instance, ct));
            Assert.Contains("broken.json", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Template(int version, string type) =>
        "{\"index_patterns\":[\"things\"],\"version\":" + version.ToString(System.Globalization.CultureInfo.InvariantCulture) +
        ",\"template\":{\"mappings\":{\"properties\":{\"name\":{\"type\":\"" + type + "\"}}}}}";
}

using CdcAspire.Pipeline.Elasticsearch;

namespace CdcAspire.Pipeline.Tests.Elasticsearch;

public sealed class ElasticsearchEndpointTests
{
    [Fact]
    public void CredentialsInTheUriBecomeABasicHeaderAndNeverAppearInText()
    {
        var endpoint = ElasticsearchEndpoint.Parse("http://elastic:s3cr%40t@localhost:9200");
        Assert.Equal(new Uri("http://localhost:9200/"), endpoint.BaseAddress);
        Assert.Equal("Basic", endpoint.Authorization!.Scheme);
        Assert.Equal("elastic:s3cr@t", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(endpoint.Authorization.Parameter!)));
        Assert.DoesNotContain("s3cr", endpoint.ToString(), StringComparison.Ordinal);
        Assert.Contains("elastic:***@", endpoint.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a uri with password hunter2")]
    [InlineData("ftp://u:hunter2@host")]
    public void ABadConnectionStringNamesTheKeyAndNeverEchoesTheValue(string? value)
    {
        var ex = Assert.Throws<ArgumentException>(() => ElasticsearchEndpoint.Parse(value));
        Assert.Contains("ConnectionStrings:elasticsearch", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SeveralCommaSeparatedNodesShareTheCredentialsOfTheFirst()
    {
        var endpoint = ElasticsearchEndpoint.Parse("http://elastic:pw1@es1:9200, http://es2:9200,https://es3:9243");
        Assert.Equal(["http://es1:9200/", "http://es2:9200/", "https://es3:9243/"], endpoint.Nodes.Select(n => n.ToString()));
        Assert.Equal("elastic", endpoint.UserName);
        Assert.DoesNotContain("pw1", endpoint.ToString(), StringComparison.Ordinal);
        Assert.Equal("http://elastic:***@es1:9200/,http://elastic:***@es2:9200/,https://elastic:***@es3:9243/", endpoint.ToString());
    }

    [Fact]
    public void TheKeyValueFormTakesEndpointsAndAnApiKeyThatIsNeverShown()
    {
        var endpoint = ElasticsearchEndpoint.Parse("Endpoint=https://es1:9200,https://es2:9200;ApiKey=c2VjcmV0a2V5");
        Assert.Equal(2, endpoint.Nodes.Count);
        Assert.Null(endpoint.UserName);
        Assert.Equal("ApiKey", endpoint.Authorization!.Scheme);
        Assert.DoesNotContain("c2VjcmV0a2V5", endpoint.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("(API key)", endpoint.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ACloudIdNeedsCredentialsAndBuildsACloudClient()
    {
        var cloudId = "my-deployment:" + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("europe-west1.gcp.cloud.es.io$abc123$def456"));
        var endpoint = ElasticsearchEndpoint.Parse($"CloudId={cloudId};ApiKey=a2V5");
        Assert.Equal(cloudId, endpoint.CloudId);
        Assert.Equal("cloud id my-deployment (API key)", endpoint.ToString());
        var settings = SearchClusterClientFactory.CreateSettings(endpoint, TimeSpan.FromSeconds(30), httpCompression: false);
        Assert.IsType<Elastic.Transport.CloudNodePool>(((Elastic.Transport.ITransportConfiguration)settings).NodePool);

        var ex = Assert.Throws<ArgumentException>(() => ElasticsearchEndpoint.Parse($"CloudId={cloudId}"));
        Assert.Contains("ApiKey", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SeveralNodesMakeAStaticPoolThatFailsOverAtMostOncePerOtherNode()
    {
        var settings = SearchClusterClientFactory.CreateSettings(
            ElasticsearchEndpoint.Parse("http://es1:9200,http://es2:9200,http://es3:9200"), TimeSpan.FromSeconds(30), httpCompression: true);
        var transport = (Elastic.Transport.ITransportConfiguration)settings;
        Assert.IsType<Elastic.Transport.StaticNodePool>(transport.NodePool);
        Assert.Equal(3, transport.NodePool.Nodes.Count);
        Assert.Equal(2, ((Elastic.Transport.IRequestConfiguration)settings).MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(30), ((Elastic.Transport.IRequestConfiguration)settings).MaxRetryTimeout);
        Assert.True(((Elastic.Transport.IRequestConfiguration)settings).EnableHttpCompression);
    }
}

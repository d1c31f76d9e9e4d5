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
}

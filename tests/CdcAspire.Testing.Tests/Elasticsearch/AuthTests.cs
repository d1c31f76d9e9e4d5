using CdcAspire.Testing.Elasticsearch;

namespace CdcAspire.Testing.Tests.Elasticsearch;

public sealed class AuthTests : ServerTest
{
    protected override ElasticsearchTestServerOptions Options => new() { TimeProvider = Clock, Username = "elastic", Password = "s3cret" };

    [Fact]
    public async Task RequestsWithoutCredentialsGetEsSecurityException()
    {
        var response = await Client.GetAsync("/");

        Assert.Equal(401, response.Code);
        Assert.Equal("security_exception", response.ErrorType);
        Assert.Equal("missing authentication credentials for REST request [/]", response.ErrorReason);
        Assert.Contains("Basic realm=\"security\", charset=\"UTF-8\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task WrongPasswordsAreRefusedAndRightOnesAccepted()
    {
        using var wrong = new EsClient(Server, "elastic", "nope");
        using var right = new EsClient(Server, "elastic", "s3cret");

        var refused = await wrong.GetAsync("/");
        var accepted = await right.GetAsync("/");

        Assert.Equal(401, refused.Code);
        Assert.Equal("unable to authenticate user [elastic] for REST request [/]", refused.ErrorReason);
        Assert.Equal(200, accepted.Code);
        Assert.Equal("8.17.3", accepted.Json.GetProperty("version").GetProperty("number").GetString());
    }
}

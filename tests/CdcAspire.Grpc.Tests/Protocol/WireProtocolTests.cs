using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using CdcAspire.Grpc.Protocol;
using CdcAspire.Grpc.Tests.Infrastructure;

namespace CdcAspire.Grpc.Tests.Protocol;

/// <summary>Requests built by hand, for what well-behaved clients never send.</summary>
public sealed class WireProtocolTests(InteropServerFixture fixture) : IClassFixture<InteropServerFixture>
{
    private static HttpRequestMessage Request(Uri address, byte[] body, string contentType = "application/grpc", Version? version = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, "cdcaspire.interop.v1.Interop/Echo"))
        {
            Version = version ?? HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return request;
    }

    private static byte[] Frame(byte flag, byte[] payload)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    [Fact]
    public async Task CompressedMessageInAnUnsupportedEncodingIsUnimplementedAndSupportedOnesAreAdvertised()
    {
        using var http = new HttpClient();
        using var request = Request(fixture.Server.Address, Frame(1, [1, 2, 3]));
        request.Headers.TryAddWithoutValidation("grpc-encoding", "snappy");

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Call, TestContext.Current.CancellationToken);
        var status = response.Headers.TryGetValues("grpc-status", out var inHeaders) ? inHeaders : response.TrailingHeaders.GetValues("grpc-status");

        Assert.Equal("12", status.Single());
        Assert.Contains("gzip", response.Headers.GetValues("grpc-accept-encoding").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonGrpcContentTypeIsRejectedWithHttp415()
    {
        using var http = new HttpClient();
        using var request = Request(fixture.Server.Address, Frame(0, []), "application/json");

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Call, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task TruncatedFrameIsInternal()
    {
        using var http = new HttpClient();
        using var request = Request(fixture.Server.Address, [0, 0, 0, 0, 10, 1, 2]);

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Call, TestContext.Current.CancellationToken);
        var status = response.Headers.TryGetValues("grpc-status", out var inHeaders) ? inHeaders : response.TrailingHeaders.GetValues("grpc-status");

        Assert.Equal("13", status.Single());
    }

    [Theory]
    [InlineData("100m", 100 * TimeSpan.TicksPerMillisecond)]
    [InlineData("2S", 2 * TimeSpan.TicksPerSecond)]
    [InlineData("1H", TimeSpan.TicksPerHour)]
    [InlineData("3M", 3 * TimeSpan.TicksPerMinute)]
    [InlineData("5000u", 5000 * TimeSpan.TicksPerMicrosecond)]
    [InlineData("300n", 3)]
    public void TimeoutHeaderParsesEveryUnit(string header, long ticks)
    {
        Assert.True(GrpcTimeout.TryParse(header, out var timeout));
        Assert.Equal(ticks, timeout.Ticks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("m")]
    [InlineData("123456789m")]
    [InlineData("10x")]
    [InlineData("-1S")]
    public void MalformedTimeoutHeaderIsIgnored(string header) => Assert.False(GrpcTimeout.TryParse(header, out _));

    [Fact]
    public void FormattedTimeoutsFitEightDigitsAndRoundTripWithoutShortening()
    {
        foreach (var timeout in new[] { TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(30), TimeSpan.FromDays(3), TimeSpan.FromTicks(7) })
        {
            var header = GrpcTimeout.Format(timeout);
            Assert.True(header.Length <= 9, header);
            Assert.True(GrpcTimeout.TryParse(header, out var parsed));
            Assert.True(parsed >= timeout, $"{header} -> {parsed} < {timeout}");
        }
    }

    [Fact]
    public void GrpcMessagePercentEncodingRoundTripsUnicodeAndPercent()
    {
        const string text = "ünï 100% \r\n done";
        var encoded = PercentEncoding.Encode(text);

        Assert.All(encoded, c => Assert.InRange(c, ' ', '~'));
        Assert.Equal(text, PercentEncoding.Decode(encoded));
        Assert.Equal("bad %zz kept", PercentEncoding.Decode("bad %zz kept"));
    }
}

using System.Globalization;

namespace CdcAspire.Cli.Connect;

/// <summary>
/// Remembers why the last HTTP attempt failed (connection refused, 409, 503, ...), so that when the retries are cut
/// short by <c>--timeout</c> the one error line can still say what the worker was doing.
/// </summary>
public sealed class LastFailureHandler : DelegatingHandler
{
    public LastFailureHandler()
        : base(new SocketsHttpHandler())
    {
    }

    public string? LastFailure { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            LastFailure = response.IsSuccessStatusCode
                ? null
                : string.Create(CultureInfo.InvariantCulture, $"{request.Method} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            return response;
        }
        catch (HttpRequestException ex)
        {
            LastFailure = ex.Message;
            throw;
        }
    }
}

using System.Net.Http.Headers;

namespace CdcAspire.Pipeline.Elasticsearch;

/// <summary>
/// Sends plain <c>application/json</c> (and <c>application/x-ndjson</c>) instead of the 9.x client's
/// <c>application/vnd.elasticsearch+json;compatible-with=9</c>. Elasticsearch 8.x refuses that header
/// (<c>media_type_header_exception</c>: "Accept version must be either version 8 or 7"), so without this the client
/// works against 9.x only; plain JSON is accepted by 8.x and 9.x alike, and the calls CdcAspire makes (bulk,
/// templates, indices, aliases, search, cluster health) have the same shape in both.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/rest-api-compatibility.html
/// </summary>
internal sealed class RestCompatibilityHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private static readonly MediaTypeWithQualityHeaderValue Json = new("application/json");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.Accept.Any(IsVendor))
        {
            request.Headers.Accept.Clear();
            request.Headers.Accept.Add(Json);
        }

        if (request.Content?.Headers.ContentType is { } type && IsVendor(type))
        {
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(
                type.MediaType!.Contains("ndjson", StringComparison.Ordinal) ? "application/x-ndjson" : "application/json");
        }

        return base.SendAsync(request, cancellationToken);
    }

    private static bool IsVendor(MediaTypeHeaderValue value) =>
        value.MediaType?.StartsWith("application/vnd.elasticsearch+", StringComparison.OrdinalIgnoreCase) == true;
}

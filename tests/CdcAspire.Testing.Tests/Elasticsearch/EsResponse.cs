using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace CdcAspire.Testing.Tests.Elasticsearch;

/// <summary>A response read fully: status, headers and the parsed JSON body (undefined for empty or non-JSON bodies).</summary>
public sealed record EsResponse(HttpStatusCode Status, JsonElement Json, string Text, HttpResponseHeaders Headers)
{
    public int Code => (int)Status;

    public JsonElement Item(int i) => Json.GetProperty("items")[i].EnumerateObject().First().Value;

    public string ErrorType => Json.GetProperty("error").GetProperty("type").GetString()!;

    public string ErrorReason => Json.GetProperty("error").GetProperty("reason").GetString()!;
}

using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CdcAspire.Testing.Elasticsearch.Http;

/// <summary>
/// A response built in memory before it is sent, so a fault can still drop it after the request was processed.
/// </summary>
internal sealed class EsResponse
{
    // ES does not escape HTML-sensitive characters in JSON.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private EsResponse(int status, ArrayBufferWriter<byte>? body, string contentType)
    {
        Status = status;
        Body = body;
        ContentType = contentType;
    }

    public int Status { get; }

    public ArrayBufferWriter<byte>? Body { get; }

    public string ContentType { get; }

    public List<KeyValuePair<string, string>>? Headers { get; private set; }

    public EsResponse WithHeader(string name, string value)
    {
        (Headers ??= []).Add(new(name, value));
        return this;
    }

    public static EsResponse Json(int status, Action<Utf8JsonWriter> write, int sizeHint = 256)
    {
        var buffer = new ArrayBufferWriter<byte>(sizeHint);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return new EsResponse(status, buffer, "application/json");
    }

    public static EsResponse Json<TState>(int status, TState state, Action<Utf8JsonWriter, TState> write, int sizeHint = 256)
    {
        var buffer = new ArrayBufferWriter<byte>(sizeHint);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer, state);
        }

        return new EsResponse(status, buffer, "application/json");
    }

    public static EsResponse Error(EsError error)
    {
        var response = Json(error.Status, error.WriteResponse);
        if (error.Headers is not null)
        {
            foreach (var (name, values) in error.Headers)
            {
                foreach (var value in values)
                {
                    response.WithHeader(name, value);
                }
            }
        }

        return response;
    }

    /// <summary>HEAD responses and 404s of existence checks carry no body.</summary>
    public static EsResponse Empty(int status) => new(status, null, "application/json");

    public static EsResponse Text(int status, string text, string contentType)
    {
        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write(System.Text.Encoding.UTF8.GetBytes(text));
        return new EsResponse(status, buffer, contentType);
    }

    /// <summary><c>{"acknowledged":true}</c>, the reply of metadata APIs.</summary>
    public static EsResponse Acknowledged() => Json(200, w =>
    {
        w.WriteStartObject();
        w.WriteBoolean("acknowledged", true);
        w.WriteEndObject();
    });
}

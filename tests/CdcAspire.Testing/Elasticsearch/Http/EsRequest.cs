using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace CdcAspire.Testing.Elasticsearch.Http;

/// <summary>One REST request: method, path segments, query string and a pooled copy of the body.</summary>
internal sealed class EsRequest : IDisposable
{
    private byte[]? _body;
    private int _bodyLength;

    public EsRequest(HttpContext context)
    {
        Context = context;
        Method = context.Request.Method;
        Path = context.Request.Path.Value ?? "/";
        Segments = Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < Segments.Length; i++)
        {
            Segments[i] = Uri.UnescapeDataString(Segments[i]);
        }
    }

    public HttpContext Context { get; }

    public string Method { get; }

    public string Path { get; }

    public string[] Segments { get; }

    public bool IsHead => HttpMethods.IsHead(Method);

    public ReadOnlySpan<byte> Body => _body is null ? default : _body.AsSpan(0, _bodyLength);

    public ReadOnlyMemory<byte> BodyMemory => _body is null ? default : _body.AsMemory(0, _bodyLength);

    public bool HasBody => _bodyLength > 0;

    public string? Query(string name)
    {
        var values = Context.Request.Query[name];
        return values.Count == 0 ? null : values[^1];
    }

    /// <summary>ES boolean query parameters: present without value means true.</summary>
    public bool QueryFlag(string name, bool defaultValue = false)
    {
        var value = Query(name);
        if (value is null)
        {
            return defaultValue;
        }

        return value.Length == 0 || !string.Equals(value, "false", StringComparison.OrdinalIgnoreCase);
    }

    public int? QueryInt(string name)
    {
        var value = Query(name);
        if (value is null)
        {
            return null;
        }

        return int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new EsException(EsErrors.IllegalArgument($"Failed to parse int parameter [{name}] with value [{value}]"));
    }

    public async Task ReadBodyAsync(CancellationToken ct)
    {
        // Elasticsearch accepts compressed request bodies (Content-Encoding: gzip or deflate), which the official
        // clients send by default (Elastic.Transport's EnableHttpCompression).
        // https://www.elastic.co/guide/en/elasticsearch/reference/current/modules-network.html#http-settings (http.compression)
        var encoding = Context.Request.Headers.ContentEncoding.ToString();
        if (encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            await ReadCompressedBodyAsync(encoding, ct);
            return;
        }

        var reader = Context.Request.BodyReader;
        var hint = (int)Math.Min(Context.Request.ContentLength ?? 4096, 64 * 1024 * 1024);
        _body = ArrayPool<byte>.Shared.Rent(Math.Max(hint, 256));
        while (true)
        {
            ReadResult result = await reader.ReadAsync(ct);
            var buffer = result.Buffer;
            var needed = _bodyLength + (int)buffer.Length;
            if (needed > _body.Length)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _body.Length * 2));
                _body.AsSpan(0, _bodyLength).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_body);
                _body = bigger;
            }

            buffer.CopyTo(_body.AsSpan(_bodyLength));
            _bodyLength = needed;
            reader.AdvanceTo(buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }
    }

    private async Task ReadCompressedBodyAsync(string encoding, CancellationToken ct)
    {
        await using Stream decompressed = encoding.Trim().ToLowerInvariant() switch
        {
            "gzip" => new System.IO.Compression.GZipStream(Context.Request.Body, System.IO.Compression.CompressionMode.Decompress, leaveOpen: true),
            "deflate" => new System.IO.Compression.ZLibStream(Context.Request.Body, System.IO.Compression.CompressionMode.Decompress, leaveOpen: true),
            _ => throw new EsException(EsErrors.IllegalArgument($"Unsupported Content-Encoding [{encoding}]")),
        };
        using var copy = new MemoryStream();
        await decompressed.CopyToAsync(copy, ct);
        _bodyLength = (int)copy.Length;
        _body = ArrayPool<byte>.Shared.Rent(Math.Max(_bodyLength, 256));
        copy.GetBuffer().AsSpan(0, _bodyLength).CopyTo(_body);
    }

    /// <summary>Parses the body as one JSON object, or returns null for an empty body.</summary>
    public JsonDocument? ParseJsonBody()
    {
        if (!HasBody)
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(BodyMemory);
        }
        catch (JsonException ex)
        {
            // https://www.elastic.co/guide/en/elasticsearch/reference/current/api-conventions.html (request bodies are JSON)
            throw new EsException(EsErrors.XContentParse($"[{(ex.LineNumber ?? 0) + 1}:{(ex.BytePositionInLine ?? 0) + 1}] {ex.Message}"));
        }
    }

    public void Dispose()
    {
        if (_body is not null)
        {
            ArrayPool<byte>.Shared.Return(_body);
            _body = null;
        }
    }
}

using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CdcAspire.Benchmarks;

/// <summary>
/// A bulk endpoint that acknowledges every action at once, run as a process of its own (<c>ack-peer</c> mode of
/// this executable), so the deployed-shape benchmark measures the sink's cost, not the server's. It answers
/// <c>_bulk</c> itself with a complete, realistic response (one item per action, as Elasticsearch sends it: the
/// sink parses what it would parse in production) and passes every other request (templates, index checks, the
/// product check) to a real Elasticsearch test server behind it.
/// </summary>
internal static class AckPeer
{
    private static long _requests;
    private static long _actions;

    public static async Task RunAsync(int port, Uri upstream, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        using var http = new HttpClient { BaseAddress = upstream };
        app.MapGet("/_peer/stats", () => Microsoft.AspNetCore.Http.Results.Json(new { requests = Interlocked.Read(ref _requests), actions = Interlocked.Read(ref _actions) }));
        app.MapPost("/_bulk", Bulk);
        app.MapPost("/{index}/_bulk", Bulk);
        app.MapFallback(context => Forward(context, http));
        await app.StartAsync(ct);
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
        }

        await app.StopAsync(CancellationToken.None);
    }

    private static async Task Bulk(HttpContext context)
    {
        Stream body = context.Request.Body;
        if (context.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            body = new GZipStream(body, CompressionMode.Decompress);
        }

        using var reader = new StreamReader(body, Encoding.UTF8);
        var response = new StringBuilder("{\"took\":1,\"errors\":false,\"items\":[");
        var count = 0;
        var expectSource = false;
        while (await reader.ReadLineAsync(context.RequestAborted) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (expectSource)
            {
                expectSource = false;
                continue;
            }

            // An action line: {"index":{...}} is followed by its source, {"delete":{...}} is not.
            var op = line.StartsWith("{\"delete\"", StringComparison.Ordinal) ? "delete" : "index";
            expectSource = op == "index";
            var id = Extract(line, "\"_id\":\"");
            var index = Extract(line, "\"_index\":\"");
            if (count++ > 0)
            {
                response.Append(',');
            }

            response.Append(CultureInfo.InvariantCulture,
                $"{{\"{op}\":{{\"_index\":\"{index}\",\"_id\":\"{id}\",\"_version\":1,\"result\":\"{(op == "delete" ? "deleted" : "created")}\",\"_shards\":{{\"total\":1,\"successful\":1,\"failed\":0}},\"_seq_no\":{count},\"_primary_term\":1,\"status\":{(op == "delete" ? 200 : 201)}}}}}");
        }

        response.Append("]}");
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _actions, count);
        context.Response.Headers["X-Elastic-Product"] = "Elasticsearch";
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(response.ToString(), context.RequestAborted);
    }

    private static string Extract(string line, string marker)
    {
        var start = line.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return string.Empty;
        }

        start += marker.Length;
        var end = start;
        while (end < line.Length && (line[end] != '"' || line[end - 1] == '\\'))
        {
            end++;
        }

        return line[start..end];
    }

    private static async Task Forward(HttpContext context, HttpClient http)
    {
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), context.Request.Path + context.Request.QueryString);
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            request.Content = new ByteArrayContent(buffer.ToArray());
            foreach (var header in context.Request.Headers.Where(h => h.Key.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)))
            {
                request.Content.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
            }
        }

        foreach (var header in context.Request.Headers.Where(h => h.Key is "Authorization" or "Accept"))
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
        }

        using var response = await http.SendAsync(request, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            if (header.Key is not ("Transfer-Encoding" or "Content-Length"))
            {
                context.Response.Headers[header.Key] = header.Value.ToArray();
            }
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}

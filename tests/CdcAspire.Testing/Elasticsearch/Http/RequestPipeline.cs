using System.Text.Json;
using CdcAspire.Testing.Elasticsearch.Faults;
using Microsoft.AspNetCore.Http;

namespace CdcAspire.Testing.Elasticsearch.Http;

/// <summary>
/// Per request: faults, authentication, dispatch, error mapping, then the response. Every ES response carries
/// X-elastic-product, which the official clients check.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/api-conventions.html
/// </summary>
internal sealed class RequestPipeline
{
    private readonly EsRouter _router;
    private readonly FaultInjector _faults;
    private readonly ServerCounters _counters;
    private readonly BasicAuth? _auth;

    public RequestPipeline(EsRouter router, FaultInjector faults, ServerCounters counters, BasicAuth? auth)
    {
        _router = router;
        _faults = faults;
        _counters = counters;
        _auth = auth;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        using var request = new EsRequest(context);
        _counters.OnRequest(EsRouter.IsBulk(request));
        var (delay, drop, failStatus) = _faults.TakeRequestFaults(request.Path);
        if (delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(delay, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        if (drop == DropMode.BeforeProcessing)
        {
            context.Abort();
            return;
        }

        await request.ReadBodyAsync(ct);
        if (request.WasCompressed)
        {
            _counters.OnCompressedRequest();
        }

        var response = failStatus is { } status ? RequestFaults.Response(status) : Process(request);
        if (drop == DropMode.AfterProcessing)
        {
            context.Abort();
            return;
        }

        _counters.OnResponse(response.Status);
        await WriteAsync(context, response, ct);
    }

    private EsResponse Process(EsRequest request)
    {
        var uri = request.Path + request.Context.Request.QueryString.Value;
        if (_auth?.Check(request.Context.Request.Headers.Authorization.ToString() is { Length: > 0 } header ? header : null, uri) is { } denied)
        {
            return EsResponse.Error(denied);
        }

        try
        {
            return _router.Dispatch(request);
        }
        catch (EsException ex)
        {
            return request.IsHead ? EsResponse.Empty(ex.Error.Status) : EsResponse.Error(ex.Error);
        }
        catch (JsonException ex)
        {
            return EsResponse.Error(EsErrors.XContentParse($"[{(ex.LineNumber ?? 0) + 1}:{(ex.BytePositionInLine ?? 0) + 1}] {ex.Message}"));
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException or OverflowException)
        {
            // Shape errors in request bodies (a missing or mistyped field) are client errors in ES too.
            return EsResponse.Error(EsErrors.Parsing(ex.Message));
        }
    }

    private static async Task WriteAsync(HttpContext context, EsResponse response, CancellationToken ct)
    {
        var http = context.Response;
        http.StatusCode = response.Status;
        http.Headers["X-elastic-product"] = "Elasticsearch";
        if (response.Headers is not null)
        {
            foreach (var (name, value) in response.Headers)
            {
                http.Headers.Append(name, value);
            }
        }

        if (response.Body is null)
        {
            http.ContentLength = 0;
            return;
        }

        http.ContentType = response.ContentType == "application/json" ? "application/json" : response.ContentType;
        http.ContentLength = response.Body.WrittenCount;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await http.Body.WriteAsync(response.Body.WrittenMemory, ct);
        }
    }
}

using System.Collections.Concurrent;
using CdcAspire.Grpc.Server;
using CdcAspire.Grpc.Tests.Interop;
using Google.Protobuf;
using Microsoft.AspNetCore.Routing;

namespace CdcAspire.Grpc.Tests.Infrastructure;

/// <summary>Our implementation of the test service; records which tagged calls saw their token fire.</summary>
internal sealed class InteropService
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _cancelled = new();

    /// <summary>Completes when the handler of the call tagged <paramref name="tag"/> observed cancellation.</summary>
    public Task WhenCancelled(string tag) => Signal(tag).Task.WaitAsync(TestTimeouts.Call);

    public void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGrpcService(InteropReflection.Descriptor.Services[0], s => s
            .Unary<EchoRequest, EchoResponse>("Echo", EchoAsync)
            .ServerStreaming<CountRequest, CountResponse>("Count", CountAsync)
            .Unary<FailRequest, FailResponse>("Fail", (r, _) => throw new RpcException((StatusCode)r.Code, r.Message))
            .Unary<SlowRequest, SlowResponse>("Slow", SlowAsync)
            .Unary<LargeRequest, LargeResponse>("Large", (r, _) =>
                Task.FromResult(new LargeResponse { Payload = ByteString.CopyFrom(new byte[r.Size]) }))
            .Unary<EchoRequest, EchoResponse>("Secret", EchoAsync, MethodAuth.BearerToken)
            .Unary<EchoRequest, EchoResponse>("Throw", (_, _) =>
                throw new InvalidOperationException("secret internal detail at /srv/secret/path")));

    private static async Task<EchoResponse> EchoAsync(EchoRequest request, ServerCallContext context)
    {
        var echoed = new Metadata();
        foreach (var entry in context.RequestHeaders.Where(e => e.Key.StartsWith("x-", StringComparison.Ordinal)))
        {
            echoed.Add(entry);
        }

        await context.WriteResponseHeadersAsync(echoed);
        context.ResponseTrailers.Add("x-trailer", "done").Add("x-trailer-bin", [1, 2]);
        return new EchoResponse { Text = request.Text, Payload = request.Payload };
    }

    private async Task CountAsync(CountRequest request, IServerStreamWriter<CountResponse> stream, ServerCallContext context)
    {
        try
        {
            for (var i = 0; i < request.Count; i++)
            {
                await stream.WriteAsync(new CountResponse { Index = i }, context.CancellationToken);
                if (request.DelayMs > 0)
                {
                    await Task.Delay(request.DelayMs, context.CancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            Signal(request.Tag).TrySetResult();
            throw;
        }
    }

    private async Task<SlowResponse> SlowAsync(SlowRequest request, ServerCallContext context)
    {
        try
        {
            await Task.Delay(request.DelayMs, context.CancellationToken);
            return new SlowResponse();
        }
        catch (OperationCanceledException)
        {
            Signal(request.Tag).TrySetResult();
            throw;
        }
    }

    private TaskCompletionSource Signal(string tag) =>
        _cancelled.GetOrAdd(tag, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}

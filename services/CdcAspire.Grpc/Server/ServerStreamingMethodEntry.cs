using Google.Protobuf;

namespace CdcAspire.Grpc.Server;

internal sealed class ServerStreamingMethodEntry<TRequest, TResponse>(
    string name, MethodAuth auth, ServerStreamingServerMethod<TRequest, TResponse> handler) : GrpcMethodEntry(name, auth)
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>
{
    private static readonly MessageParser<TRequest> Parser = new(() => new TRequest());

    public override async Task InvokeAsync(ServerCall call, ServerCallContext context)
    {
        var request = await call.ReadSingleRequestAsync(Parser);
        await handler(request, new ResponseStreamWriter<TResponse>(call), context);
    }
}

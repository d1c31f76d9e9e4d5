using Google.Protobuf;

namespace CdcAspire.Grpc.Server;

internal sealed class UnaryMethodEntry<TRequest, TResponse>(
    string name, MethodAuth auth, UnaryServerMethod<TRequest, TResponse> handler) : GrpcMethodEntry(name, auth)
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>
{
    private static readonly MessageParser<TRequest> Parser = new(() => new TRequest());

    public override async Task InvokeAsync(ServerCall call, ServerCallContext context)
    {
        var request = await call.ReadSingleRequestAsync(Parser);
        var response = await handler(request, context)
            ?? throw new InvalidOperationException($"Handler of {Name} returned null instead of a {typeof(TResponse).Name}.");
        await call.WriteMessageAsync(response, context.CancellationToken);
    }
}

using CdcAspire.Grpc.Client;
using CdcAspire.Grpc.Health.V1;
using CdcAspire.Grpc.Tests.Interop;

namespace CdcAspire.Grpc.Tests.Infrastructure;

/// <summary>Client-side method handles of the test service and of grpc.health.v1.</summary>
internal static class InteropMethods
{
    private static readonly Google.Protobuf.Reflection.ServiceDescriptor Interop = InteropReflection.Descriptor.Services[0];
    private static readonly Google.Protobuf.Reflection.ServiceDescriptor Health = HealthReflection.Descriptor.Services[0];

    public static readonly GrpcMethod<EchoRequest, EchoResponse> Echo = GrpcMethod.Unary<EchoRequest, EchoResponse>(Interop, "Echo");
    public static readonly GrpcMethod<EchoRequest, EchoResponse> Secret = GrpcMethod.Unary<EchoRequest, EchoResponse>(Interop, "Secret");
    public static readonly GrpcMethod<CountRequest, CountResponse> Count = GrpcMethod.ServerStreaming<CountRequest, CountResponse>(Interop, "Count");
    public static readonly GrpcMethod<FailRequest, FailResponse> Fail = GrpcMethod.Unary<FailRequest, FailResponse>(Interop, "Fail");
    public static readonly GrpcMethod<SlowRequest, SlowResponse> Slow = GrpcMethod.Unary<SlowRequest, SlowResponse>(Interop, "Slow");
    public static readonly GrpcMethod<LargeRequest, LargeResponse> Large = GrpcMethod.Unary<LargeRequest, LargeResponse>(Interop, "Large");
    public static readonly GrpcMethod<EchoRequest, EchoResponse> Unbound = GrpcMethod.Unary<EchoRequest, EchoResponse>(Interop, "Unbound");
    public static readonly GrpcMethod<EchoRequest, EchoResponse> Nope =
        GrpcMethod.Unchecked<EchoRequest, EchoResponse>("cdcaspire.interop.v1.Interop", "Nope", serverStreaming: false);
    public static readonly GrpcMethod<HealthCheckRequest, HealthCheckResponse> HealthCheck =
        GrpcMethod.Unary<HealthCheckRequest, HealthCheckResponse>(Health, "Check");
    public static readonly GrpcMethod<HealthCheckRequest, HealthCheckResponse> HealthWatch =
        GrpcMethod.ServerStreaming<HealthCheckRequest, HealthCheckResponse>(Health, "Watch");
}

using System.ComponentModel.DataAnnotations;
using CdcAspire.Grpc.Protocol;

namespace CdcAspire.Grpc.Server;

/// <summary>Limits of the gRPC server, bound from the <c>Cdc:Grpc:Server</c> configuration section.</summary>
public sealed class GrpcServerOptions
{
    public const string SectionName = "Cdc:Grpc:Server";

    /// <summary>Largest request message accepted, in bytes; larger ones end the call with RESOURCE_EXHAUSTED. Default 4 MB.</summary>
    [Range(1, int.MaxValue)]
    public int MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxReceiveMessageSize;

    /// <summary>Largest response message sent, in bytes; null (default) means unlimited.</summary>
    [Range(1, int.MaxValue)]
    public int? MaxSendMessageSize { get; set; }

    /// <summary>Polling interval of the health Watch method (ASP.NET Core health checks have no change event). Default 5 s.</summary>
    public TimeSpan HealthWatchInterval { get; set; } = TimeSpan.FromSeconds(5);
}

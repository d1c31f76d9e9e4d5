namespace CdcAspire.Grpc.Server;

/// <summary>Remembers whether the catch-all UNIMPLEMENTED endpoint is mapped, so it is mapped once per app.</summary>
internal sealed class UnimplementedEndpointMarker
{
    public bool Mapped { get; set; }
}

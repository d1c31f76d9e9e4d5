using CdcAspire.Pipeline.Changes;

namespace CdcAspire.Sink.Hosting;

/// <summary>Creates a fresh source for each pipeline run (a run ends on failure; the next one starts clean).</summary>
public interface IChangeSourceFactory
{
    IChangeSource Create();
}

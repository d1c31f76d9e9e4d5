using CdcAspire.Pipeline.Status;

namespace CdcAspire.Sink.Hosting;

/// <summary>
/// The operator's pause switch: pauses or resumes the pipeline and keeps the reason given with the pause, which the
/// status reports until the next resume (sink.proto: <c>PipelineStatus.reason</c> while PHASE_PAUSED).
/// </summary>
public sealed class PauseControl(PipelineStatus status)
{
    /// <summary>Reported when a pause was requested without a reason.</summary>
    public const string DefaultReason = "paused by request";

    private readonly Lock _gate = new();
    private string? _reason;

    public bool IsPaused => status.IsPaused;

    /// <summary>The reason of the current pause; null when not paused.</summary>
    public string? Reason
    {
        get
        {
            lock (_gate)
            {
                return status.IsPaused ? _reason ?? DefaultReason : null;
            }
        }
    }

    /// <summary>Pauses; returns false (and keeps the first reason) when already paused.</summary>
    public bool Pause(string? reason)
    {
        lock (_gate)
        {
            if (status.IsPaused)
            {
                return false;
            }

            _reason = string.IsNullOrWhiteSpace(reason) ? DefaultReason : reason.Trim();
            status.Pause();
            return true;
        }
    }

    /// <summary>Resumes; returns false when not paused.</summary>
    public bool Resume()
    {
        lock (_gate)
        {
            if (!status.IsPaused)
            {
                return false;
            }

            _reason = null;
            status.Resume();
            return true;
        }
    }
}

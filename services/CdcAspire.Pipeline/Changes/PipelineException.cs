namespace CdcAspire.Pipeline.Changes;

/// <summary>
/// A failure that stops the pipeline before anything after it is acknowledged. The message says what is wrong and
/// how to fix it; <see cref="IsTransient"/> tells the host whether retrying later can help.
/// </summary>
public sealed class PipelineException : Exception
{
    public PipelineException()
    {
    }

    public PipelineException(string message)
        : base(message)
    {
    }

    public PipelineException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PipelineException(string message, bool isTransient, Exception? innerException = null)
        : base(message, innerException) => IsTransient = isTransient;

    /// <summary>True when the same operation may succeed later without a configuration change.</summary>
    public bool IsTransient { get; }
}

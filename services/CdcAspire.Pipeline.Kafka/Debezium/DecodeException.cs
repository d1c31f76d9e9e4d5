namespace CdcAspire.Pipeline.Kafka.Debezium;

/// <summary>A message that cannot be turned into a change; it becomes a dead letter with this reason.</summary>
internal sealed class DecodeException : Exception
{
    public DecodeException()
    {
    }

    public DecodeException(string message)
        : base(message)
    {
    }

    public DecodeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DecodeException(string errorType, string message, Exception? innerException = null)
        : base(message, innerException) => ErrorType = errorType;

    /// <summary>Short machine-readable reason stored as the dead letter's error type.</summary>
    public string ErrorType { get; } = "malformed_message";
}

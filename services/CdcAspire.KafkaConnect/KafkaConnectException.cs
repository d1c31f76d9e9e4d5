namespace CdcAspire.KafkaConnect;

/// <summary>A Kafka Connect REST call failed; <see cref="IsTransient"/> tells whether retrying later can help.</summary>
public sealed class KafkaConnectException : Exception
{
    public KafkaConnectException()
    {
    }

    public KafkaConnectException(string message)
        : base(message)
    {
    }

    public KafkaConnectException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KafkaConnectException(string message, int? statusCode, bool isTransient, ConnectorValidation? validation = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        IsTransient = isTransient;
        Validation = validation;
    }

    /// <summary>The HTTP status, if the worker answered.</summary>
    public int? StatusCode { get; }

    public bool IsTransient { get; }

    /// <summary>Set when the config was refused by validation: the errors by field.</summary>
    public ConnectorValidation? Validation { get; }
}

namespace CdcAspire.Testing.Elasticsearch.Http;

/// <summary>Carries an <see cref="EsError"/> out of deep parsing code to the handler that turns it into a response.</summary>
internal sealed class EsException : Exception
{
    public EsException(EsError error)
        : base(error.Reason) => Error = error;

    public EsException()
        : this(new EsError(500, "exception", "unknown"))
    {
    }

    public EsException(string message)
        : this(new EsError(500, "exception", message))
    {
    }

    public EsException(string message, Exception innerException)
        : base(message, innerException) => Error = new EsError(500, "exception", message);

    public EsError Error { get; }
}

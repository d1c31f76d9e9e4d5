using System.Net;

namespace CdcAspire.Pipeline.Elasticsearch;

/// <summary>A whole request to Elasticsearch failed. <see cref="IsTransient"/> says whether sending it again can help.</summary>
public sealed class ElasticsearchException : Exception
{
    public ElasticsearchException()
    {
    }

    public ElasticsearchException(string message)
        : base(message)
    {
    }

    public ElasticsearchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ElasticsearchException(string message, HttpStatusCode? statusCode, string? errorType, bool isTransient, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        ErrorType = errorType;
        IsTransient = isTransient;
    }

    /// <summary>The HTTP status, or null when no response arrived (connection refused, dropped, timed out).</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Elasticsearch's <c>error.type</c>, when the body had one.</summary>
    public string? ErrorType { get; }

    /// <summary>429, 5xx, timeouts and connection failures are transient; 4xx other than 429 are not.</summary>
    public bool IsTransient { get; }

    /// <summary>Transient statuses, as Elastic.Channels and the Elasticsearch clients classify them.</summary>
    public static bool IsTransientStatus(int status) => status is 429 or 502 or 503 or 504 or 500;
}

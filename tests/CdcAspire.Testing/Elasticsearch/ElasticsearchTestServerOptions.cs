namespace CdcAspire.Testing.Elasticsearch;

/// <summary>Options of <see cref="ElasticsearchTestServer"/>.</summary>
public sealed class ElasticsearchTestServerOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 (the default) picks a free port.</summary>
    public int Port { get; set; }

    /// <summary>When set together with <see cref="Password"/>, every request needs HTTP Basic credentials.</summary>
    public string? Username { get; set; }

    /// <summary>The password for <see cref="Username"/>.</summary>
    public string? Password { get; set; }

    /// <summary>
    /// The clock for index.gc_deletes and index.refresh_interval (default <see cref="TimeProvider.System"/>). A fake
    /// clock that tests advance makes tombstone expiry and periodic refresh deterministic.
    /// </summary>
    public TimeProvider? TimeProvider { get; set; }
}

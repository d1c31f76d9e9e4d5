using Npgsql;
using Npgsql.Replication;

namespace CdcAspire.Pipeline.Sources.Postgres;

/// <summary>
/// Connections to the source database from <c>ConnectionStrings:appdb</c> (Npgsql format, as Aspire injects it).
/// Every session, replication or not, gets the same output settings so that pgoutput's text values and the
/// snapshot's <c>col::text</c> values look alike and the type mapping can rely on them.
/// </summary>
public sealed class PostgresConnections : IAsyncDisposable
{
    /// <summary>Settings the type mapping (PgJsonEncoder) relies on.</summary>
    public const string SessionOptions =
        "-c DateStyle=ISO,MDY -c TimeZone=UTC -c IntervalStyle=iso_8601 -c extra_float_digits=3 -c bytea_output=hex";

    private readonly string _connectionString;

    public PostgresConnections(string? connectionString, string configurationKey = "ConnectionStrings:appdb")
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ArgumentException(
                $"{configurationKey} is not set. Set it to an Npgsql connection string, e.g. Host=localhost;Port=5432;Username=postgres;Password=<password>;Database=appdb " +
                "(the Aspire AppHost injects it with WithReference(appdb)).");
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            // The exception text can echo the string, password included: say what is wrong without it.
            throw new ArgumentException($"{configurationKey} is not a valid Npgsql connection string (Host=...;Port=...;Username=...;Password=...;Database=...).");
        }

        builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? SessionOptions : builder.Options + " " + SessionOptions;
        builder.ApplicationName ??= "cdcaspire";
        Description = $"{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}";
        Database = builder.Database ?? string.Empty;
        UserName = builder.Username ?? string.Empty;
        _connectionString = builder.ConnectionString;
        DataSource = NpgsqlDataSource.Create(_connectionString);
    }

    /// <summary>user@host:port/database, for messages (never the password).</summary>
    public string Description { get; }

    public string Database { get; }

    public string UserName { get; }

    /// <summary>Pooled ordinary connections (catalog queries, snapshot reads, state, dead letters).</summary>
    public NpgsqlDataSource DataSource { get; }

    public async Task<LogicalReplicationConnection> OpenReplicationAsync(CancellationToken cancellationToken)
    {
        var connection = new LogicalReplicationConnection(_connectionString);
        try
        {
            await connection.Open(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}

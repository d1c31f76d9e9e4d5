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
    private readonly bool _ownsDataSource;

    public PostgresConnections(string? connectionString, string configurationKey = "ConnectionStrings:appdb")
        : this((NpgsqlDataSource?)null, Prepare(connectionString, configurationKey))
    {
    }

    /// <summary>
    /// Ordinary connections from <paramref name="dataSource"/> (e.g. Aspire.Npgsql's <c>AddNpgsqlDataSource</c>, which
    /// the container owns), built from <paramref name="preparedConnectionString"/> (see <see cref="Prepare"/>); the
    /// replication connection opens on the same string.
    /// </summary>
    public PostgresConnections(NpgsqlDataSource? dataSource, string preparedConnectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(preparedConnectionString);
        Description = $"{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}";
        Database = builder.Database ?? string.Empty;
        UserName = builder.Username ?? string.Empty;
        _connectionString = preparedConnectionString;
        _ownsDataSource = dataSource is null;
        DataSource = dataSource ?? NpgsqlDataSource.Create(_connectionString);
    }

    /// <summary>
    /// Checks the connection string and adds the session settings the type mapping relies on; the errors name the
    /// key and the fix, never the password.
    /// </summary>
    public static string Prepare(string? connectionString, string configurationKey = "ConnectionStrings:appdb")
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
        return builder.ConnectionString;
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

    public ValueTask DisposeAsync() => _ownsDataSource ? DataSource.DisposeAsync() : ValueTask.CompletedTask;
}

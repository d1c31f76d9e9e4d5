using Aspire.Hosting.ApplicationModel;

namespace CdcAspire.AppHost.Postgres;

/// <summary>PostgreSQL ready for logical replication, with the seed's schema and rows and a replication role.</summary>
public static class CdcPostgresBuilderExtensions
{
    public const string ServerName = "postgres";
    public const string DatabaseName = "appdb";
    public const string PasswordName = "postgres-password";
    public const string ReplicationPasswordName = "replication-password";
    public const string ReplicationUser = "cdc_replication";

    /// <summary>Environment variable the init script reads the replication role's password from.</summary>
    public const string ReplicationPasswordVariable = "CDC_REPLICATION_PASSWORD";

    /// <summary>Where the init files live, relative to the AppHost project.</summary>
    public const string InitFolder = "postgres-init";

    /// <summary>
    /// The server (postgres image, <c>wal_level=logical</c>, room for both topologies' slots and senders, a data
    /// volume) and its database <c>appdb</c>. Init files run once, on an empty volume: the seed schema and rows, then
    /// the <c>cdc_replication</c> role with the <c>replication-password</c> parameter.
    /// </summary>
    public static (IResourceBuilder<PostgresServerResource> Server, IResourceBuilder<PostgresDatabaseResource> Database, IResourceBuilder<ParameterResource> ReplicationPassword)
        AddCdcPostgres(this IDistributedApplicationBuilder builder)
    {
        var replicationPassword = builder.AddGeneratedSecret(ReplicationPasswordName);
        // Explicit (AddPostgres would make an equivalent one outside the model) so it is listed with the others.
        var password = builder.AddGeneratedSecret(PasswordName);
        var server = builder.AddPostgres(ServerName, password: password)
            // The postgres image passes -c settings to the server. Slots: the sink's, Debezium's, and a resync's.
            .WithArgs("-c", "wal_level=logical", "-c", "max_replication_slots=10", "-c", "max_wal_senders=10")
            // Init scripts run in $POSTGRES_DB; AddDatabase then finds appdb already there.
            .WithEnvironment("POSTGRES_DB", DatabaseName)
            .WithEnvironment(ReplicationPasswordVariable, replicationPassword)
            .WithDataVolume("cdcaspire-postgres-data");

        var initFolder = Path.Combine(builder.AppHostDirectory, InitFolder);
        server = builder.ExecutionContext.IsRunMode
            ? server.WithInitFiles(initFolder)
            // The manifest cannot carry container files: a deployment mounts the same folder.
            : server.WithBindMount(initFolder, "/docker-entrypoint-initdb.d", isReadOnly: true);

        var database = server.AddDatabase(DatabaseName);
        return (server, database, replicationPassword);
    }
}

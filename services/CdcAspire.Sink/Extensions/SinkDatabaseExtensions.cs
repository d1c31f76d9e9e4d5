using CdcAspire.Pipeline.Sources.Postgres;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CdcAspire.Sink.Extensions;

/// <summary>
/// The source database, in the shape of eShop's <c>AddNpgsqlDataSource("orderingdb")</c>: ordinary connections
/// (catalog, snapshot, state, dead letters) from Aspire.Npgsql, which brings pooling, a health check, tracing and
/// metrics on the same <c>ConnectionStrings__appdb</c>; the replication connection keeps Npgsql's
/// <c>LogicalReplicationConnection</c> on that string.
/// </summary>
public static class SinkDatabaseExtensions
{
    public static IHostApplicationBuilder AddSinkDatabase(this IHostApplicationBuilder builder, string connectionName = "appdb")
    {
        var key = $"ConnectionStrings:{connectionName}";
        string prepared;
        try
        {
            prepared = PostgresConnections.Prepare(builder.Configuration.GetConnectionString(connectionName), key);
        }
        catch (ArgumentException e)
        {
            // Aspire.Npgsql would throw at registration, before the service runs: report it at start instead, as
            // every other setting is, so the service prints the message and exits 1 without a stack trace.
            var message = e.Message;
            builder.Services.AddSingleton<PostgresConnections>(_ => throw new OptionsValidationException(key, typeof(PostgresConnections), [message]));
            return builder;
        }

        builder.AddNpgsqlDataSource(connectionName, settings => settings.ConnectionString = prepared);
        builder.Services.AddSingleton(sp => new PostgresConnections(sp.GetRequiredService<NpgsqlDataSource>(), prepared));
        return builder;
    }
}

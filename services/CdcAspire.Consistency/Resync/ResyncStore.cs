using CdcAspire.Pipeline.Options;
using CdcAspire.Pipeline.Resync;
using CdcAspire.Pipeline.Sources.Postgres;
using Npgsql;

namespace CdcAspire.Consistency.Resync;

/// <summary>A row of <c>{Cdc:StateSchema}.resyncs</c> (see <see cref="ResyncSchema"/>).</summary>
public sealed record ResyncRow(long Id, string Table, string Alias, string OldIndex, string NewIndex, string State, bool KeepOldIndex);

/// <summary>The consistency service's side of <see cref="ResyncSchema"/>: start, wait for the sink, end.</summary>
public sealed class ResyncStore(PostgresConnections connections, CdcOptions options, TimeProvider time)
{
    private string Table => ResyncSchema.Table(options.StateSchema);

    public Task EnsureCreatedAsync(CancellationToken cancellationToken) =>
        ResyncSchema.EnsureCreatedAsync(connections.DataSource, options.StateSchema, cancellationToken);

    /// <summary>Records a new <c>building</c> resync; null when one is already building for the alias.</summary>
    public async Task<long?> StartAsync(string table, string alias, string oldIndex, string newIndex, bool keepOldIndex, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var cmd = connections.DataSource.CreateCommand(
            $"INSERT INTO {Table} (table_name, alias, old_index, new_index, keep_old_index) VALUES ($1, $2, $3, $4, $5) RETURNING id");
        cmd.Parameters.Add(new() { Value = table });
        cmd.Parameters.Add(new() { Value = alias });
        cmd.Parameters.Add(new() { Value = oldIndex });
        cmd.Parameters.Add(new() { Value = newIndex });
        cmd.Parameters.Add(new() { Value = keepOldIndex });
        try
        {
            var id = (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
            await ResyncSchema.NotifyAsync(connections.DataSource, options.StateSchema, id, cancellationToken);
            return id;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return null;
        }
    }

    /// <summary>Waits until the sink has confirmed the dual write of <paramref name="id"/>; false after <paramref name="timeout"/>.</summary>
    public Task<bool> WaitConfirmedAsync(long id, TimeSpan timeout, CancellationToken cancellationToken) =>
        PollAsync($"SELECT dual_write_confirmed_at IS NOT NULL FROM {Table} WHERE id = $1", id, timeout, cancellationToken);

    /// <summary>Waits until the sink has stopped writing into the new index of the ended <paramref name="id"/>; false after <paramref name="timeout"/>.</summary>
    public Task<bool> WaitReleasedAsync(long id, TimeSpan timeout, CancellationToken cancellationToken) =>
        PollAsync($"SELECT released_at IS NOT NULL FROM {Table} WHERE id = $1", id, timeout, cancellationToken);

    /// <summary>Ends a resync (<c>done</c> or <c>abandoned</c>); the sink then stops its dual write.</summary>
    public async Task EndAsync(long id, string state, string? detail, CancellationToken cancellationToken)
    {
        await using var cmd = connections.DataSource.CreateCommand(
            $"UPDATE {Table} SET state = $2, detail = $3, finished_at = now() WHERE id = $1 AND state = 'building'");
        cmd.Parameters.Add(new() { Value = id });
        cmd.Parameters.Add(new() { Value = state });
        cmd.Parameters.Add(new() { Value = (object?)detail ?? DBNull.Value });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        await ResyncSchema.NotifyAsync(connections.DataSource, options.StateSchema, id, cancellationToken);
    }

    /// <summary>Every resync still <c>building</c>.</summary>
    public async Task<IReadOnlyList<ResyncRow>> BuildingAsync(CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var cmd = connections.DataSource.CreateCommand(
            $"SELECT id, table_name, alias, old_index, new_index, state, keep_old_index FROM {Table} WHERE state = 'building' ORDER BY id");
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var rows = new List<ResyncRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ResyncRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetBoolean(6)));
        }

        return rows;
    }

    private async Task<bool> PollAsync(string sql, long id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            await using (var cmd = connections.DataSource.CreateCommand(sql))
            {
                cmd.Parameters.Add(new() { Value = id });
                if (await cmd.ExecuteScalarAsync(cancellationToken) is true)
                {
                    return true;
                }
            }

            if (time.GetUtcNow() > deadline)
            {
                return false;
            }

            await Task.Delay(delay, time, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
        }
    }
}

using CdcAspire.Pipeline.DeadLetters;
using CdcAspire.Pipeline.Sources.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace CdcAspire.Dlq.Store;

/// <summary>
/// The changing statements: claims, results, discards. A claim is a row lease (<c>claimed_by</c>, <c>claimed_until</c>)
/// taken by one UPDATE, so two replays of the same letter (two calls, two replicas) never both get it: PostgreSQL
/// re-checks the second UPDATE's condition after the first commits. A holder that dies leaves a lease that lapses;
/// results are written only while the holder still owns the lease.
/// </summary>
public sealed class DeadLetterUpdater(PostgresConnections connections, DeadLetterReader reader)
{
    /// <summary>Claims those of <paramref name="ids"/> that are in <paramref name="states"/> and not held by anyone.</summary>
    public async Task<IReadOnlyList<DeadLetterRecord>> ClaimAsync(
        IReadOnlyList<long> ids, IReadOnlyList<DeadLetterState> states, string claimant, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var connection = await connections.DataSource.OpenConnectionAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand($"""
            UPDATE {reader.Table} SET claimed_by = $1, claimed_until = now() + $2
            WHERE id = ANY($3) AND status = ANY($4) AND (claimed_until IS NULL OR claimed_until < now())
            RETURNING {DeadLetterReader.SummaryColumns}
            """, connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = claimant });
        cmd.Parameters.Add(new NpgsqlParameter { Value = lease, NpgsqlDbType = NpgsqlDbType.Interval });
        cmd.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = states.Select(s => s.ToStored()).ToArray() });
        var claimed = new List<DeadLetterRecord>();
        await using var rows = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await rows.ReadAsync(cancellationToken))
        {
            claimed.Add(DeadLetterReader.ReadSummary(rows));
        }

        return claimed;
    }

    /// <summary>Records a replay's result and releases the claim; does nothing if the claim was lost meanwhile.</summary>
    public async Task<bool> CompleteAsync(long id, string claimant, Completion completion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completion);
        await using var connection = await connections.DataSource.OpenConnectionAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand($"""
            UPDATE {reader.Table} SET
                status = $3,
                attempts = attempts + $4,
                error_type = coalesce($5, error_type),
                error_reason = coalesce($6, error_reason),
                next_retry_at = $7,
                resolved_at = CASE WHEN $3 = 'resolved' THEN now() ELSE resolved_at END,
                -- A deferral repeated (breaker still open, source still behind) is kept once, not once per retry.
                history = CASE WHEN $12::text IS NOT NULL AND starts_with(coalesce(history->-1->>'detail', ''), $12::text || ':') THEN history
                               ELSE history || jsonb_build_array(jsonb_build_object('at', now(), 'action', $8::text, 'outcome', $9::text, 'detail', $10::text)) END
                    || CASE WHEN $3 = 'archived'
                       THEN jsonb_build_array(jsonb_build_object('at', now(), 'action', 'archive', 'outcome', '', 'detail', $11::text))
                       ELSE '[]'::jsonb END,
                claimed_by = NULL, claimed_until = NULL, updated_at = now()
            WHERE id = $1 AND claimed_by = $2
            """, connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        cmd.Parameters.Add(new NpgsqlParameter { Value = claimant });
        cmd.Parameters.Add(new NpgsqlParameter { Value = completion.State.ToStored() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = completion.CountsAsAttempt ? 1 : 0 });
        cmd.Parameters.Add(Text(completion.ErrorType));
        cmd.Parameters.Add(Text(completion.ErrorReason));
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)completion.NextRetryAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(Text(completion.Action));
        cmd.Parameters.Add(Text(completion.Outcome));
        cmd.Parameters.Add(Text(completion.Detail ?? string.Empty));
        cmd.Parameters.Add(Text(completion.ArchiveDetail ?? string.Empty));
        cmd.Parameters.Add(Text(completion.DeferredBy));
        return await cmd.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Gives claims back untouched (a replay that stopped, or a breaker that is open).</summary>
    public async Task ReleaseAsync(IReadOnlyList<long> ids, string claimant, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }

        await using var connection = await connections.DataSource.OpenConnectionAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand(
            $"UPDATE {reader.Table} SET claimed_by = NULL, claimed_until = NULL WHERE id = ANY($1) AND claimed_by = $2", connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = claimant });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Marks the selected letters discarded (those not being replayed right now); returns how many.</summary>
    public async Task<long> DiscardAsync(DeadLetterFilter filter, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await connections.DataSource.OpenConnectionAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand { Connection = connection };
        var where = FilterSql.Where(filter, cmd.Parameters);
        cmd.Parameters.Add(new NpgsqlParameter { Value = reason, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.CommandText = $"""
            UPDATE {reader.Table} SET status = 'discarded', next_retry_at = NULL, updated_at = now(),
                history = history || jsonb_build_array(jsonb_build_object('at', now(), 'action', 'discard', 'outcome', '', 'detail', ${cmd.Parameters.Count}::text))
            WHERE {where} AND (claimed_until IS NULL OR claimed_until < now())
            """;
        return await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Pending letters the automatic retry may take now: healable types at once, transient ones when their backoff
    /// is due; letters without a row to re-read (undecodable, truncates) are left to a person.
    /// </summary>
    public async Task<(IReadOnlyList<long> Due, DateTimeOffset? NextDue)> DueAsync(
        IReadOnlyCollection<string> errorTypes, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await connections.DataSource.OpenConnectionAsync(cancellationToken);
        var eligible = """
            status = 'pending' AND table_name IS NOT NULL AND document_id IS NOT NULL AND operation IN ('index', 'delete')
            AND (error_type = ANY($1) OR error_type ~ '^http_(429|5[0-9][0-9])$')
            """;
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"""
                    SELECT id FROM {reader.Table}
                    WHERE {eligible} AND (next_retry_at IS NULL OR next_retry_at <= now()) AND (claimed_until IS NULL OR claimed_until < now())
                    ORDER BY id LIMIT $2
                    """)
                {
                    Parameters = { new NpgsqlParameter { Value = errorTypes.ToArray() }, new NpgsqlParameter { Value = limit } },
                },
                new NpgsqlBatchCommand($"SELECT min(greatest(next_retry_at, claimed_until)) FROM {reader.Table} WHERE {eligible}")
                {
                    Parameters = { new NpgsqlParameter { Value = errorTypes.ToArray() } },
                },
            },
        };
        var due = new List<long>();
        await using var rows = await batch.ExecuteReaderAsync(cancellationToken);
        while (await rows.ReadAsync(cancellationToken))
        {
            due.Add(rows.GetInt64(0));
        }

        await rows.NextResultAsync(cancellationToken);
        await rows.ReadAsync(cancellationToken);
        DateTimeOffset? next = rows.IsDBNull(0) ? null : rows.GetFieldValue<DateTimeOffset>(0);
        return (due, next);
    }

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };
}

/// <summary>What a replay did to one letter, as the store records it.</summary>
/// <param name="State">The letter's new state.</param>
/// <param name="CountsAsAttempt">A failed replay: <c>attempts</c> grows by one.</param>
/// <param name="ErrorType">The new error, if it failed again.</param>
/// <param name="ErrorReason">The new error's reason.</param>
/// <param name="NextRetryAt">When the automatic retry takes it again, if it will.</param>
/// <param name="Action"><c>replay</c> or <c>retry</c>.</param>
/// <param name="Outcome"><c>indexed</c>, <c>deleted</c>, <c>superseded</c> or <c>failed</c>.</param>
/// <param name="Detail">The error of a failure, for the history.</param>
/// <param name="ArchiveDetail">Why it was archived, when <paramref name="State"/> is archived.</param>
/// <param name="DeferredBy">Not tried, held back by this cause (e.g. <c>breaker_open</c>); repeats add no history.</param>
public sealed record Completion(
    DeadLetterState State,
    bool CountsAsAttempt,
    string? ErrorType,
    string? ErrorReason,
    DateTimeOffset? NextRetryAt,
    string Action,
    string Outcome,
    string? Detail,
    string? ArchiveDetail = null,
    string? DeferredBy = null);

using CdcAspire.Pipeline.DeadLetters;
using CdcAspire.Pipeline.Sources.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace CdcAspire.Pipeline.State;

/// <summary>
/// Dead letters in <c>&lt;schema&gt;.dead_letters</c> of the source database: durable once the INSERT commits, which
/// is before the position that holds them is acknowledged. One transaction per call.
/// </summary>
public sealed class PostgresDeadLetterStore(NpgsqlDataSource dataSource, string schema) : IDeadLetterStore
{
    public async Task WriteAsync(IReadOnlyList<DeadLetter> letters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var sql = $"""
            INSERT INTO {Sql.Quote(schema)}.dead_letters
                (source, table_name, index_name, document_id, operation, position, version, document, raw, error_type, error_reason)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            """;
        foreach (var letter in letters)
        {
            var cmd = new NpgsqlBatchCommand(sql);
            cmd.Parameters.Add(new() { Value = letter.Source.ToStored() });
            cmd.Parameters.Add(Text(letter.Table));
            cmd.Parameters.Add(Text(letter.Index));
            cmd.Parameters.Add(Text(letter.DocumentId));
            cmd.Parameters.Add(new() { Value = letter.Operation.ToStored() });
            cmd.Parameters.Add(new() { Value = letter.Position });
            cmd.Parameters.Add(new() { Value = (object?)letter.Version ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
            cmd.Parameters.Add(Text(letter.Document));
            cmd.Parameters.Add(new() { Value = (object?)letter.Raw ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea });
            cmd.Parameters.Add(new() { Value = letter.ErrorType });
            cmd.Parameters.Add(new() { Value = letter.ErrorReason });
            batch.BatchCommands.Add(cmd);
        }

        // A batch runs in one implicit transaction: all letters or none.
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };
}

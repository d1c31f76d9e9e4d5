using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Npgsql;

namespace CdcAspire.Pipeline.Sources.Postgres.Types;

/// <summary>
/// The types of one database: built-ins known without a query, others (enums, domains, user arrays, citext,
/// hstore, composites, ranges) read from <c>pg_type</c> once and cached. Thread-safe; concurrent requests for
/// the same OID share one query. User type OIDs differ between databases, so use one catalog per database.
/// </summary>
public sealed class PgTypeCatalog
{
    // Domains over domains are legal; a chain this long means a catalog cycle or corruption, not a schema.
    private const int MaxDepth = 32;

    private readonly ConcurrentDictionary<uint, Task<PgType>> _resolved = new();

    /// <summary>A built-in type by OID, or null if the OID is not built in.</summary>
    public static PgType? GetBuiltIn(uint oid) => PgBuiltInTypes.All.GetValueOrDefault(oid);

    /// <summary>
    /// A type already known without I/O (built in, or resolved before). The source's hot path: call
    /// <see cref="ResolveAsync(uint, NpgsqlDataSource, CancellationToken)"/> only when this returns false.
    /// </summary>
    public bool TryGet(uint oid, [NotNullWhen(true)] out PgType? type)
    {
        if (PgBuiltInTypes.All.TryGetValue(oid, out type))
        {
            return true;
        }

        if (_resolved.TryGetValue(oid, out var task) && task.IsCompletedSuccessfully)
        {
            type = task.Result;
            return true;
        }

        type = null;
        return false;
    }

    /// <summary>
    /// Resolves a type, querying <c>pg_type</c> through <paramref name="dataSource"/> if needed. Concurrent callers
    /// for one OID share the first caller's query (and its cancellation); a failed or cancelled lookup is retried
    /// by the next call.
    /// </summary>
    /// <exception cref="InvalidOperationException">The OID is not in <c>pg_type</c> (the type was dropped).</exception>
    public Task<PgType> ResolveAsync(uint oid, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return ResolveAsync(oid, new PgTypeQuery(dataSource, null), cancellationToken);
    }

    /// <summary>
    /// Resolves a type, querying <c>pg_type</c> on <paramref name="connection"/> (open, not a replication
    /// connection, not busy with another command) if needed.
    /// </summary>
    /// <exception cref="InvalidOperationException">The OID is not in <c>pg_type</c> (the type was dropped).</exception>
    public Task<PgType> ResolveAsync(uint oid, NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return ResolveAsync(oid, new PgTypeQuery(null, connection), cancellationToken);
    }

    /// <summary>
    /// Forgets a resolved type, e.g. when pgoutput sends a Type message for it after <c>ALTER TYPE</c> / a
    /// dropped and re-created type. Built-ins cannot change and are never forgotten.
    /// </summary>
    public void Invalidate(uint oid) => _resolved.TryRemove(oid, out _);

    private Task<PgType> ResolveAsync(uint oid, PgTypeQuery query, CancellationToken cancellationToken)
    {
        if (PgBuiltInTypes.All.TryGetValue(oid, out var builtIn))
        {
            return Task.FromResult(builtIn);
        }

        while (true)
        {
            if (_resolved.TryGetValue(oid, out var existing))
            {
                // A faulted or cancelled lookup is not cached: the next caller retries.
                if (!existing.IsFaulted && !existing.IsCanceled)
                {
                    return existing;
                }

                _resolved.TryRemove(new KeyValuePair<uint, Task<PgType>>(oid, existing));
                continue;
            }

            var created = LoadAsync(oid, query, 0, cancellationToken);
            if (_resolved.TryAdd(oid, created))
            {
                return created;
            }
        }
    }

    private static async Task<PgType> LoadAsync(uint oid, PgTypeQuery query, int depth, CancellationToken cancellationToken)
    {
        if (PgBuiltInTypes.All.TryGetValue(oid, out var builtIn))
        {
            return builtIn;
        }

        if (depth > MaxDepth)
        {
            throw new InvalidOperationException(
                $"PostgreSQL type {oid} nests domains or arrays more than {MaxDepth} deep; check pg_type for a cycle.");
        }

        var row = await query.FetchAsync(oid, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException(
                $"PostgreSQL type {oid} is not in pg_type (dropped while the stream was running?). " +
                "Re-create the type or resynchronize the table.");

        if (row.TypType == 'd' && row.BaseTypeOid != 0)
        {
            var baseType = await LoadAsync(row.BaseTypeOid, query, depth + 1, cancellationToken).ConfigureAwait(false);
            return new PgType(oid, row.Name, row.Category, Delimiter: row.Delimiter, BaseType: baseType.Effective);
        }

        if (row.IsArray)
        {
            var element = await LoadAsync(row.ElementOid, query, depth + 1, cancellationToken).ConfigureAwait(false);
            return new PgType(oid, row.Name, row.Category, Element: element, Delimiter: row.Delimiter);
        }

        return new PgType(oid, row.Name, row.Category, Delimiter: row.Delimiter);
    }
}

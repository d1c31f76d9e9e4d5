using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Sources.Postgres.Types;

namespace CdcAspire.Pipeline.Sources.Postgres;

/// <summary>A followed table as the catalog describes it: its key columns (for ids) and its columns (for snapshots).</summary>
public sealed record SourceTable(
    TableId Id,
    uint Oid,
    IReadOnlyList<SourceColumn> Columns,
    IReadOnlyList<SourceColumn> KeyColumns,
    char ReplicaIdentity,
    long EstimatedRows);

/// <summary>One column: name, type (resolved for the JSON mapping) and its SQL type name (for casts).</summary>
public sealed record SourceColumn(string Name, PgType Type, string SqlType);

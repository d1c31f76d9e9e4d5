using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Sources.Postgres.Types;

namespace CdcAspire.Pipeline.Sources.Postgres;

/// <summary>A relation as pgoutput last described it: our copy, since Npgsql reuses its message objects.</summary>
internal sealed record RelationInfo(uint Id, TableId Table, string[] Names, PgType[] Types, int[] KeyIndexes, SourceTable? Catalog);

using CdcAspire.Pipeline.Changes;

namespace CdcAspire.Pipeline.Sources.Postgres;

/// <summary>The configured tables split into those that can be followed and those refused, each with the fix.</summary>
internal sealed record PreflightResult(IReadOnlyList<SourceTable> Tables, IReadOnlyList<RefusedTable> Refused);

/// <summary>A configured table that cannot become documents, with a reason that names the fix.</summary>
internal sealed record RefusedTable(TableId Table, string Reason);

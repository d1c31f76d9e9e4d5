namespace CdcAspire.Metrics.Collectors.Postgres;

/// <summary>One row of pg_replication_slots as read (https://www.postgresql.org/docs/current/view-pg-replication-slots.html).</summary>
internal sealed record SlotRow(string Name, bool Active, ulong? ConfirmedFlushLsn, long? LagBytes, string? WalStatus, long? SafeWalSize);

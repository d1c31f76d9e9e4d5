namespace CdcAspire.Testing.Tests.Elasticsearch;

/// <summary>A clock that only moves when a test advances it (index.gc_deletes, index.refresh_interval).</summary>
public sealed class FakeTimeProvider : TimeProvider
{
    private DateTimeOffset _now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

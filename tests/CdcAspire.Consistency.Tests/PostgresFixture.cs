using CdcAspire.Testing.Postgres;

[assembly: AssemblyFixture(typeof(CdcAspire.Consistency.Tests.PostgresFixture))]

namespace CdcAspire.Consistency.Tests;

/// <summary>One throwaway PostgreSQL cluster for the whole test assembly; each test makes its own database and slot.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private int _next;

    public PostgresCluster Cluster { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Cluster = await PostgresCluster.StartAsync();

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();

    public string NextName(string prefix) => $"{prefix}_{Interlocked.Increment(ref _next)}";
}

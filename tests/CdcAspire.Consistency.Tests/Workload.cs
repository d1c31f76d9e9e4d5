namespace CdcAspire.Consistency.Tests;

/// <summary>
/// A steady write workload on rows the tests do not diverge on purpose (products with id above 50): inserts,
/// updates and deletes in small transactions, bounded in time and count.
/// </summary>
public sealed class Workload : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    public Workload(Scenario scenario, int maxTransactions = 5000)
    {
        _running = Task.Run(async () =>
        {
            for (var i = 0; i < maxTransactions && !_stop.IsCancellationRequested; i++)
            {
                await scenario.ExecuteAsync((i % 4) switch
                {
                    0 => $"INSERT INTO products (name, price, category, tags, metadata) VALUES ('Load {i}', {i % 500}.25, 'Load', ARRAY['w{i % 3}'], '{{\"i\": {i}}}')",
                    1 => $"UPDATE products SET price = price + 0.01, inventory_count = inventory_count + 1 WHERE id > 50 AND id % 7 = {i % 7}",
                    2 => $"UPDATE products SET name = 'Renamed ' || {i}, tags = tags || 'n{i}'::text WHERE id = (SELECT max(id) FROM products WHERE id > 50)",
                    _ => "DELETE FROM products WHERE id = (SELECT min(id) FROM products WHERE id > 50 AND category = 'Load')",
                });
                Transactions++;
                await Task.Delay(5);
            }
        });
    }

    public int Transactions { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        _stop.Dispose();
    }
}

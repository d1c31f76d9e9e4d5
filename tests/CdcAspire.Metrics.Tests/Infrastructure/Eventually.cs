namespace CdcAspire.Metrics.Tests.Infrastructure;

/// <summary>Polls an observed state until it holds; the failure says what was awaited and what was seen last.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> probe, TimeSpan timeout, Func<string> what, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await probe())
            {
                return;
            }

            await Task.Delay(250, cancellationToken);
        }

        Assert.Fail($"Timed out after {timeout} waiting for: {what()}");
    }
}

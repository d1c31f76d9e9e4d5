using Aspire.Hosting;
using Aspire.Hosting.Testing;
using CdcAspire.Metrics.V1;
using Grpc.Net.Client;

namespace CdcAspire.AppHost.Tests.Infrastructure;

/// <summary>
/// What <c>cdc health</c> does, from a test: the metrics service's <c>GetHealth</c> on the endpoint the AppHost gave it.
/// </summary>
public static class ChainHealth
{
    /// <summary>
    /// Polls until every configured component is ok (health settles within a few readings once the snapshot is done)
    /// or <paramref name="timeout"/> passes; returns the last report and every component as text for the assertion.
    /// </summary>
    public static async Task<(HealthReport Report, string Components)> WaitUntilOkAsync(DistributedApplication app, TimeSpan timeout, CancellationToken ct)
    {
        using var channel = GrpcChannel.ForAddress(app.GetEndpoint("metrics", "grpc"));
        var metrics = new MetricsService.MetricsServiceClient(channel);
        var deadline = DateTime.UtcNow + timeout;
        HealthReport report;
        while (true)
        {
            report = await metrics.GetHealthAsync(new GetHealthRequest(), deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: ct);
            if (report.Status == Status.Ok || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(1000, ct);
        }

        return (report, string.Join("\n", report.Components.Select(c => $"{c.Name}: {c.Status} {c.Reason} {c.Fix}")));
    }
}

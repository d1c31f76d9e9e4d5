using CdcAspire.Metrics.Diagnostics;
using CdcAspire.Metrics.Health;
using CdcAspire.Metrics.Options;
using CdcAspire.Metrics.V1;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;

namespace CdcAspire.Metrics.Collectors;

/// <summary>
/// Reads the whole chain every <see cref="MetricsOptions.Interval"/>: all probes in parallel, each bounded by the
/// probe timeout, merged into one <see cref="HealthReport"/> and published to <see cref="ChainState"/>.
/// </summary>
internal sealed class ChainCollector(
    IEnumerable<IChainProbe> probes,
    ChainState state,
    IOptions<MetricsOptions> options,
    TimeProvider time,
    ILogger<ChainCollector> logger) : BackgroundService
{
    private readonly IReadOnlyList<IChainProbe> _probes = probes.ToList();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.Interval;
        var names = string.Join(", ", _probes.Select(p => p.Name));
        Log.Watching(logger, interval, names);
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            var report = await CollectAsync(stoppingToken);
            var before = state.Current?.Status;
            state.Publish(report);
            if (before is { } b && b != report.Status)
            {
                Log.HealthChanged(logger, b, report.Status);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    public async Task<HealthReport> CollectAsync(CancellationToken cancellationToken)
    {
        var parts = await Task.WhenAll(_probes.Select(p => RunAsync(p, cancellationToken)));
        var report = new HealthReport { Metrics = new ChainMetrics() };
        foreach (var part in parts)
        {
            report.Components.Add(part.Components);
            if (part.Metrics is not null)
            {
                report.Metrics.MergeFrom(part.Metrics);
            }
        }

        report.Status = Components.Worst(report.Components);
        report.ObservedAt = Timestamp.FromDateTimeOffset(time.GetUtcNow());
        return report;
    }

    private async Task<HealthReport> RunAsync(IChainProbe probe, CancellationToken cancellationToken)
    {
        // A second of grace over the probe timeout: the probes' own deadlines should answer first, with a better reason.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.ProbeTimeout + TimeSpan.FromSeconds(1));
        try
        {
            return await probe.ProbeAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Down(probe, $"no answer within {options.Value.ProbeTimeout.TotalSeconds:0.#} s (Metrics:ProbeTimeout)");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.ProbeFaulted(logger, probe.Name, ex.Message, ex);
            return Down(probe, ex.Message);
        }
    }

    private static HealthReport Down(IChainProbe probe, string reason) => new()
    {
        Components = { Components.Down(probe.Name, reason, "Check that the component runs and answers; the metrics service's log has the details.") },
    };

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

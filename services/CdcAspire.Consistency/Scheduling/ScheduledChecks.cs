using CdcAspire.Consistency.Checking;
using CdcAspire.Consistency.Diagnostics;
using CdcAspire.Consistency.Options;
using CdcAspire.Consistency.V1;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CdcAspire.Consistency.Scheduling;

/// <summary>
/// Checks each table of <c>Consistency:Schedules</c> at its interval (default: none, scheduling off), in
/// <c>Consistency:ScheduledMode</c>. Results are kept and the metrics updated as for an on-demand check.
/// </summary>
public sealed class ScheduledChecks(CheckRunner runner, ConsistencyOptions options, TimeProvider time, ILogger<ScheduledChecks> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var mode = options.ScheduledMode switch { "sample" => Mode.Sample, "count" => Mode.Count, _ => Mode.Full };
        var loops = new List<Task>();
        foreach (var (name, interval) in options.Schedules)
        {
            if (interval <= TimeSpan.Zero)
            {
                continue;
            }

            if (runner.Checker.Resolve(name) is not { } table)
            {
                throw new InvalidOperationException(
                    $"Consistency:Schedules:{name} names a table the sink does not follow; add it under Cdc:Tables or remove the schedule.");
            }

            Log.Scheduled(logger, table.ToString(), interval);
            loops.Add(Task.Run(async () =>
            {
                using var timer = new PeriodicTimer(interval, time);
                while (await timer.WaitForNextTickAsync(stoppingToken))
                {
                    await runner.CheckAsync(table, mode, 0, 0, repair: false, _ => { }, stoppingToken);
                }
            }, stoppingToken));
        }

        return Task.WhenAll(loops);
    }
}

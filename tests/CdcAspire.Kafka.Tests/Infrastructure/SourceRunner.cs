using System.Diagnostics.Metrics;
using System.Threading.Channels;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.DeadLetters;
using CdcAspire.Pipeline.Diagnostics;
using CdcAspire.Pipeline.Status;
using CdcAspire.Pipeline.Writing;
using CdcAspire.Pipeline.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CdcAspire.Kafka.Tests.Infrastructure;

/// <summary>
/// Runs a <see cref="KafkaChangeSource"/> the way the pipeline does: one loop reads items into a channel, the test
/// takes them and acknowledges checkpoints (optionally the runner acknowledges every checkpoint itself, after a lag).
/// </summary>
public sealed class SourceRunner : IAsyncDisposable
{
    private static readonly IMeterFactory Meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    // CDC_TEST_LOG=1 shows the source's logs (rebalances, commits) on the console when a test needs explaining.
    private static readonly ILoggerFactory Loggers = Environment.GetEnvironmentVariable("CDC_TEST_LOG") == "1"
        ? LoggerFactory.Create(b => b.AddSimpleConsole(o => o.TimestampFormat = "HH:mm:ss.fff ").SetMinimumLevel(LogLevel.Information))
        : NullLoggerFactory.Instance;

    private readonly Channel<SourceItem> items = Channel.CreateUnbounded<SourceItem>();
    private readonly CancellationTokenSource stop = new();
    private readonly Channel<(Checkpoint Checkpoint, DateTime Due)> acknowledgements = Channel.CreateUnbounded<(Checkpoint, DateTime)>();
    private readonly Task pump;
    private readonly Task acknowledger;

    private SourceRunner(KafkaChangeSource source, InMemoryDeadLetterStore deadLetters, TimeSpan? autoAcknowledgeAfter)
    {
        Source = source;
        DeadLetters = deadLetters;
        pump = Task.Run(() => PumpAsync(autoAcknowledgeAfter));
        acknowledger = Task.Run(AcknowledgeLoopAsync);
    }

    public KafkaChangeSource Source { get; }

    public InMemoryDeadLetterStore DeadLetters { get; }

    /// <summary>The exception that ended ReadAsync, if it failed.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Completes when ReadAsync has ended (cancelled or failed).</summary>
    public Task Completion => pump;

    public static async Task<SourceRunner> StartAsync(string bootstrapServers, Action<KafkaSourceOptions> configure, TimeSpan? autoAcknowledgeAfter = null)
    {
        var options = new KafkaSourceOptions
        {
            BootstrapServers = bootstrapServers,
            CommitInterval = TimeSpan.FromMilliseconds(200),
            PollTimeout = TimeSpan.FromMilliseconds(100),
            RevocationFlushTimeout = TimeSpan.FromSeconds(10),
        };
        options.Consumer["session.timeout.ms"] = "6000";
        options.Consumer["heartbeat.interval.ms"] = "300";
        configure(options);
        var deadLetters = new InMemoryDeadLetterStore();
        var writer = new DeadLetterWriter(deadLetters, new PipelineObserver(new PipelineMetrics(Meters, new PipelineStatus()), new PipelineStatus()), new CdcAspire.Pipeline.Options.WriterOptions(),
            Loggers.CreateLogger<DeadLetterWriter>(), DeadLetterSource.Kafka);
        var source = new KafkaChangeSource(Options.Create(options), writer, Loggers.CreateLogger<KafkaChangeSource>(), Meters);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await source.PrepareAsync(timeout.Token);
        return new SourceRunner(source, deadLetters, autoAcknowledgeAfter);
    }

    /// <summary>Items up to and including the <paramref name="checkpoints"/>-th checkpoint.</summary>
    public async Task<List<SourceItem>> TakeAsync(int checkpoints, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        var taken = new List<SourceItem>();
        var seen = 0;
        while (seen < checkpoints)
        {
            var item = await items.Reader.ReadAsync(cts.Token);
            taken.Add(item);
            seen += item.Checkpoint is null ? 0 : 1;
        }

        return taken;
    }

    /// <summary>Items until <paramref name="done"/> holds for everything taken so far.</summary>
    public async Task<List<SourceItem>> TakeUntilAsync(Func<List<SourceItem>, bool> done, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        var taken = new List<SourceItem>();
        while (!done(taken))
        {
            taken.Add(await items.Reader.ReadAsync(cts.Token));
        }

        return taken;
    }

    /// <summary>Whatever arrives within <paramref name="quiet"/> after the last item.</summary>
    public async Task<List<SourceItem>> DrainAsync(TimeSpan quiet)
    {
        var taken = new List<SourceItem>();
        while (true)
        {
            using var cts = new CancellationTokenSource(quiet);
            try
            {
                taken.Add(await items.Reader.ReadAsync(cts.Token));
            }
            catch (OperationCanceledException)
            {
                return taken;
            }
        }
    }

    public async Task AcknowledgeAsync(IEnumerable<SourceItem> taken)
    {
        foreach (var checkpoint in taken.Select(i => i.Checkpoint).OfType<Checkpoint>())
        {
            await Source.AcknowledgeAsync(checkpoint, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await pump.WaitAsync(TimeSpan.FromSeconds(30));
        await acknowledger.WaitAsync(TimeSpan.FromSeconds(30));
        await Source.DisposeAsync();
        stop.Dispose();
    }

    private async Task PumpAsync(TimeSpan? autoAcknowledgeAfter)
    {
        try
        {
            await foreach (var item in Source.ReadAsync(stop.Token))
            {
                await items.Writer.WriteAsync(item);
                if (autoAcknowledgeAfter is { } lag && item.Checkpoint is { } checkpoint)
                {
                    // Acknowledged later and in order, off the read loop, like a pipeline whose writer lags behind.
                    await acknowledgements.Writer.WriteAsync((checkpoint, DateTime.UtcNow + lag));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            Failure = ex;
        }
        finally
        {
            items.Writer.TryComplete();
            acknowledgements.Writer.TryComplete();
        }
    }

    private async Task AcknowledgeLoopAsync()
    {
        await foreach (var (checkpoint, due) in acknowledgements.Reader.ReadAllAsync())
        {
            var wait = due - DateTime.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            await Source.AcknowledgeAsync(checkpoint, CancellationToken.None);
        }
    }
}

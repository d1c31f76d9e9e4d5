using System.Diagnostics.Metrics;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.DeadLetters;
using CdcAspire.Pipeline.Diagnostics;
using CdcAspire.Pipeline.Elasticsearch;
using CdcAspire.Pipeline.Options;
using CdcAspire.Pipeline.Status;
using CdcAspire.Pipeline.Writing;
using CdcAspire.Testing.Elasticsearch;
using Microsoft.Extensions.Logging.Abstractions;

namespace CdcAspire.Pipeline.Tests.Writing;

/// <summary>One lane in process against the Elasticsearch test server's fault injection, settling into a real ledger.</summary>
public sealed class BulkLaneTests : IAsyncLifetime
{
    private static readonly TableId Items = new("public", "items");
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly MemoryDeadLetterStore _store = new();
    private readonly PipelineStatus _status = new();
    private readonly TestMeterFactory _meters = new();
    private readonly AckLedger _ledger = new(1);
    private ElasticsearchTestServer _es = null!;
    private HttpClient _http = null!;
    private SearchClusterClient _client = null!;
    private PipelineObserver _observer = null!;

    private sealed record Mark(int N) : Checkpoint;

    public async ValueTask InitializeAsync()
    {
        _es = await ElasticsearchTestServer.StartAsync(ct: TestContext.Current.CancellationToken);
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        _client = SearchClusterClientFactory.Create(ElasticsearchEndpoint.Parse(_es.Uri.ToString()), TimeSpan.FromSeconds(10), httpCompression: false);
        _observer = new PipelineObserver(new PipelineMetrics(_meters, _status), _status);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        _meters.Dispose();
        await _es.DisposeAsync();
    }

    [Fact]
    public async Task ACheckpointWaitsWhileTheLaneHasARequestInFlight()
    {
        var ct = TestContext.Current.CancellationToken;
        _es.Faults.DelayRequests(TimeSpan.FromMilliseconds(400), count: 1);
        var (lane, run) = Start(Options());

        await lane.EnqueueAsync(Index("1", 10), ct);
        _ledger.Record(new Mark(1));
        await Task.Delay(100, ct); // the request is held by the server: nothing may come back yet
        Assert.Empty(_ledger.TakeSettled());

        Assert.Equal([new Mark(1)], await SettledAsync(1, ct));
        Assert.NotNull(_es.GetDocument("items", "1"));
        await StopAsync(lane, run);
    }

    [Fact]
    public async Task TransientRequestFailuresAreRetriedUntilTheBatchIsAppliedAndOnlyThenSettled()
    {
        var ct = TestContext.Current.CancellationToken;
        _es.Faults.FailNextRequests(3, 503, "/_bulk");
        var (lane, run) = Start(Options());

        await lane.EnqueueAsync(Index("1", 10), ct);
        await lane.EnqueueAsync(Index("2", 10), ct);
        _ledger.Record(new Mark(1));

        Assert.Equal([new Mark(1)], await SettledAsync(1, ct));
        Assert.Equal(3, _es.Counters.RequestsWithStatus(503));
        Assert.NotNull(_es.GetDocument("items", "1"));
        Assert.NotNull(_es.GetDocument("items", "2"));
        Assert.Empty(_store.Letters);
        await StopAsync(lane, run);
    }

    [Fact]
    public async Task RetriedItemsAreAppliedRejectedOnesDeadLetteredAndOlderWritesSuperseded()
    {
        var ct = TestContext.Current.CancellationToken;
        await _client.BulkAsync([Index("old", 100)], ct);
        _es.Faults.FailNextItems(1, 429);
        _es.Faults.RejectItems(i => i.Id == "bad");
        var (lane, run) = Start(Options());

        await lane.EnqueueAsync(Index("a", 10), ct);
        await lane.EnqueueAsync(Index("bad", 10), ct);
        await lane.EnqueueAsync(Index("old", 5), ct);
        _ledger.Record(new Mark(1));

        Assert.Equal([new Mark(1)], await SettledAsync(1, ct));
        Assert.NotNull(_es.GetDocument("items", "a"));
        Assert.Null(_es.GetDocument("items", "bad"));
        Assert.Equal(100, _es.GetDocument("items", "old")!.Version);
        var letter = Assert.Single(_store.Letters);
        Assert.Equal(("bad", "document_parsing_exception", "public.items"), (letter.DocumentId, letter.ErrorType, letter.Table));
        var table = Assert.Single(_status.Tables);
        Assert.Equal((1, 1, 1), (table.Indexed, table.Superseded, table.DeadLettered));
        await StopAsync(lane, run);
    }

    [Fact]
    public async Task ALaneWhoseDeadLettersCannotBeStoredFailsWithoutSettlingAnything()
    {
        var ct = TestContext.Current.CancellationToken;
        _store.Refuse = new Npgsql.PostgresException("permission denied for table dead_letters", "ERROR", "ERROR", "42501");
        _es.Faults.RejectItems(i => i.Id == "bad");
        var (lane, run) = Start(Options());

        await lane.EnqueueAsync(Index("bad", 10), ct);
        _ledger.Record(new Mark(1));
        await lane.EnqueueAsync(Index("after", 11), ct);
        _ledger.Record(new Mark(2));

        await Assert.ThrowsAsync<PipelineException>(() => run.WaitAsync(Timeout, ct));
        Assert.Empty(_ledger.TakeSettled());
        Assert.Equal(2, _ledger.PendingCheckpoints);
    }

    [Fact]
    public async Task AnIdleLaneSendsItsFirstActionAtOnceWithoutWaitingForTheBatchToFill()
    {
        var ct = TestContext.Current.CancellationToken;
        var (lane, run) = Start(Options(maxBatchAge: TimeSpan.FromMinutes(5)));
        await Task.Delay(50, ct); // the lane is waiting on an empty channel

        await lane.EnqueueAsync(Index("1", 10), ct);
        _ledger.Record(new Mark(1));

        Assert.Equal([new Mark(1)], await SettledAsync(1, ct)); // well within the five minutes a filling batch may wait
        await StopAsync(lane, run);
    }

    [Fact]
    public async Task ActionsWaitingForALaneGoOutInOneRequest()
    {
        var ct = TestContext.Current.CancellationToken;
        var lane = NewLane(Options());
        for (var i = 0; i < 50; i++)
        {
            await lane.EnqueueAsync(Index(i.ToString(System.Globalization.CultureInfo.InvariantCulture), 10), ct);
        }

        _ledger.Record(new Mark(1));
        var before = _es.Counters.BulkRequests;
        var run = lane.RunAsync(ct);

        Assert.Equal([new Mark(1)], await SettledAsync(1, ct));
        Assert.Equal(1, _es.Counters.BulkRequests - before);
        Assert.Equal(50, _es.GetDocuments("items").Count);
        await StopAsync(lane, run);
    }

    private static WriterOptions Options(TimeSpan? maxBatchAge = null) => new()
    {
        InitialRetryDelay = TimeSpan.FromMilliseconds(5),
        MaxRetryDelay = TimeSpan.FromMilliseconds(20),
        MaxBatchAge = maxBatchAge ?? TimeSpan.FromMilliseconds(20),
    };

    private static IndexAction Index(string id, long version) =>
        new(WriteOperation.Index, "items", id, version, "{\"name\":\"n\"}"u8.ToArray(), Items, new Position((ulong)version, 0));

    private BulkLane NewLane(WriterOptions options) =>
        new(0, _client, new DeadLetterWriter(_store, _observer, options, NullLogger.Instance), _observer, options,
            new ByteBudget(options.MaxBufferedBytes), _ledger, NullLogger.Instance);

    private (BulkLane Lane, Task Run) Start(WriterOptions options)
    {
        var lane = NewLane(options);
        return (lane, lane.RunAsync(TestContext.Current.CancellationToken));
    }

    private async Task<List<Checkpoint>> SettledAsync(int expected, CancellationToken ct)
    {
        var settled = new List<Checkpoint>();
        using var deadline = new CancellationTokenSource(Timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        while (settled.Count < expected)
        {
            settled.AddRange(_ledger.TakeSettled());
            if (settled.Count < expected)
            {
                await _ledger.WaitForChangeAsync(TimeSpan.FromMilliseconds(100), linked.Token);
            }
        }

        return settled;
    }

    private static async Task StopAsync(BulkLane lane, Task run)
    {
        lane.Complete();
        await run.WaitAsync(Timeout);
    }

    private sealed class MemoryDeadLetterStore : IDeadLetterStore
    {
        private readonly List<DeadLetter> _letters = [];

        public Exception? Refuse { get; set; }

        public IReadOnlyList<DeadLetter> Letters
        {
            get
            {
                lock (_letters)
                {
                    return [.. _letters];
                }
            }
        }

        public Task WriteAsync(IReadOnlyList<DeadLetter> letters, CancellationToken cancellationToken)
        {
            if (Refuse is { } refusal)
            {
                throw refusal;
            }

            lock (_letters)
            {
                _letters.AddRange(letters);
            }

            return Task.CompletedTask;
        }
    }

    private sealed class TestMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose() => _meters.ForEach(m => m.Dispose());
    }
}

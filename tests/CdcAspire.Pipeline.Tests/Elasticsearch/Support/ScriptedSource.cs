using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using CdcAspire.Pipeline.Changes;

namespace CdcAspire.Pipeline.Tests.Elasticsearch.Support;

/// <summary>A change source the test feeds: rows of one table and a checkpoint after each batch; records acknowledgements.</summary>
internal sealed class ScriptedSource : IChangeSource
{
    private readonly Channel<SourceItem> _items = Channel.CreateUnbounded<SourceItem>();
    private readonly ConcurrentQueue<long> _acknowledged = new();
    private ulong _lsn = 100;

    public static readonly TableId Table = new("public", "things");

    public string Name => "scripted";

    /// <summary>The highest acknowledged checkpoint number (0 before any).</summary>
    public long LastAcknowledged => _acknowledged.IsEmpty ? 0 : _acknowledged.Max();

    public Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Rows <paramref name="first"/>..<paramref name="first"/>+count-1 as inserts of one transaction, then its checkpoint; returns its number.</summary>
    public long Insert(int first, int count, DateTimeOffset? commitTime = null, bool checkpoint = true)
    {
        var lsn = ++_lsn;
        for (var i = 0; i < count; i++)
        {
            var id = (first + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var row = new[]
            {
                new ColumnValue("id", System.Text.Encoding.UTF8.GetBytes(id)),
                new ColumnValue("name", System.Text.Encoding.UTF8.GetBytes($"\"name {id}\"")),
            };
            _items.Writer.TryWrite(new ChangeEvent(Table, ChangeKind.Insert, new Position(lsn, (uint)i), [id], row, null, commitTime));
        }

        if (checkpoint)
        {
            _items.Writer.TryWrite(new Mark((long)lsn) { CommitTime = commitTime });
        }

        return (long)lsn;
    }

    public async IAsyncEnumerable<SourceItem> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in _items.Reader.ReadAllAsync(cancellationToken))
        {
            yield return item;
        }
    }

    public ValueTask AcknowledgeAsync(Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        _acknowledged.Enqueue(((Mark)checkpoint).Number);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed record Mark(long Number) : Checkpoint;
}

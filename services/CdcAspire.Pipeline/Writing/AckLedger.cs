using System.Collections.Concurrent;
using CdcAspire.Pipeline.Changes;

namespace CdcAspire.Pipeline.Writing;

/// <summary>
/// The acknowledgement rule in one place: actions are numbered 0, 1, 2, ... in source order as they are handed to
/// lanes, a checkpoint is recorded against the number of the next action, and a checkpoint is handed back as
/// settled only once every action numbered before it is settled (applied, superseded or dead-lettered). Lanes settle
/// their own actions in order, so a lane that has settled everything it was given vouches for all of them, and a busy
/// lane vouches for its actions up to the last one it settled: it holds back every checkpoint after that one (a
/// little longer than strictly needed when its next action came later, never shorter).
/// </summary>
/// <remarks>
/// One writer (the dispatcher: <see cref="Assign"/>, <see cref="Record"/>), one writer per lane
/// (<see cref="Settle"/>), one reader (the acknowledger: <see cref="TakeSettled"/>). A lane that fails never settles
/// its batch, so nothing after it is ever handed back in that run.
/// </remarks>
internal sealed class AckLedger
{
    private readonly long[] _assigned;
    private readonly long[] _settled;
    private readonly ConcurrentQueue<(long Boundary, Checkpoint Checkpoint, DateTimeOffset? Oldest)> _checkpoints = new();
    private readonly AsyncSignal _changed = new();
    private readonly AsyncSignal _laneSettled = new();
    private long _next;

    public AckLedger(int lanes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lanes);
        _assigned = new long[lanes];
        _settled = new long[lanes];
        Array.Fill(_assigned, -1L);
        Array.Fill(_settled, -1L);
    }

    /// <summary>The number the next action will get.</summary>
    public long Next => Volatile.Read(ref _next);

    /// <summary>True when every action numbered so far is settled.</summary>
    public bool AllSettled => SettledBelow() == Next;

    /// <summary>Checkpoints recorded and not yet handed back.</summary>
    public int PendingCheckpoints => _checkpoints.Count;

    /// <summary>
    /// When the oldest change behind a checkpoint not yet handed back committed (for the lag figure), null when none is
    /// pending.
    /// </summary>
    public DateTimeOffset? OldestPendingCommitTime => _checkpoints.TryPeek(out var oldest) ? oldest.Oldest : null;

    /// <summary>
    /// Numbers the next action and records that <paramref name="lane"/> owns it. Call before the action enters the
    /// lane: the lane counts as busy from here on, so no checkpoint after it can pass.
    /// </summary>
    public long Assign(int lane)
    {
        var number = _next;
        Volatile.Write(ref _assigned[lane], number);

        // After the lane's assignment: a reader that sees this number as assigned sees the lane busy too.
        Volatile.Write(ref _next, number + 1);
        return number;
    }

    /// <summary>
    /// Records a checkpoint after every action numbered so far; <paramref name="oldest"/> is the commit time of the
    /// oldest change it covers (a large transaction is behind since its first change, not its commit); by default the
    /// checkpoint's own commit time.
    /// </summary>
    public void Record(Checkpoint checkpoint, DateTimeOffset? oldest = null)
    {
        _checkpoints.Enqueue((Next, checkpoint, oldest ?? checkpoint.CommitTime));
        _changed.Set();
    }

    /// <summary>A lane has settled every action it was given up to and including <paramref name="number"/>.</summary>
    public void Settle(int lane, long number)
    {
        Volatile.Write(ref _settled[lane], number);
        _changed.Set();
        _laneSettled.Set();
    }

    /// <summary>Every action numbered below the returned value is settled.</summary>
    public long SettledBelow()
    {
        // Next first: every number below it was assigned to its lane before, so its lane is seen busy or done.
        var watermark = Next;
        for (var lane = 0; lane < _assigned.Length; lane++)
        {
            var assigned = Volatile.Read(ref _assigned[lane]);
            var settled = Volatile.Read(ref _settled[lane]);
            if (settled != assigned)
            {
                watermark = Math.Min(watermark, settled + 1);
            }
        }

        return watermark;
    }

    /// <summary>Hands back, in order, the checkpoints whose preceding actions are all settled; each only once.</summary>
    public IReadOnlyList<Checkpoint> TakeSettled()
    {
        var settledBelow = SettledBelow();
        List<Checkpoint>? settled = null;
        while (_checkpoints.TryPeek(out var entry) && entry.Boundary <= settledBelow)
        {
            _checkpoints.TryDequeue(out _);
            (settled ??= []).Add(entry.Checkpoint);
        }

        return settled ?? (IReadOnlyList<Checkpoint>)[];
    }

    /// <summary>
    /// The checkpoints of <paramref name="settled"/> that must be sent to the source, in order: one that the next
    /// covers (an earlier LSN) need not be sent on its own.
    /// </summary>
    public static IEnumerable<Checkpoint> ToAcknowledge(IReadOnlyList<Checkpoint> settled)
    {
        for (var i = 0; i < settled.Count; i++)
        {
            if (i == settled.Count - 1 || !settled[i].IsCoveredBy(settled[i + 1]))
            {
                yield return settled[i];
            }
        }
    }

    /// <summary>Waits until something may have settled (a lane settled, a checkpoint arrived), at most <paramref name="timeout"/>.</summary>
    public Task<bool> WaitForChangeAsync(TimeSpan timeout, CancellationToken cancellationToken) => _changed.WaitAsync(timeout, cancellationToken);

    /// <summary>Waits until every action numbered so far is settled (a barrier, e.g. before a truncate).</summary>
    public async Task WaitAllSettledAsync(CancellationToken cancellationToken)
    {
        // Only the dispatcher waits here; a lane's settle wakes it, and a set before the wait is kept for it.
        while (!AllSettled)
        {
            await _laneSettled.WaitAsync(Timeout.InfiniteTimeSpan, cancellationToken);
        }
    }
}

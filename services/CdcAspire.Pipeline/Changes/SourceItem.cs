namespace CdcAspire.Pipeline.Changes;

/// <summary>What a source yields: a change, or a checkpoint after the changes it covers.</summary>
public readonly record struct SourceItem
{
    private SourceItem(ChangeEvent? change, Checkpoint? checkpoint)
    {
        Change = change;
        Checkpoint = checkpoint;
    }

    public ChangeEvent? Change { get; }

    public Checkpoint? Checkpoint { get; }

    public static implicit operator SourceItem(ChangeEvent change) => FromChange(change);

    public static implicit operator SourceItem(Checkpoint checkpoint) => FromCheckpoint(checkpoint);

    public static SourceItem FromChange(ChangeEvent change) => new(change ?? throw new ArgumentNullException(nameof(change)), null);

    public static SourceItem FromCheckpoint(Checkpoint checkpoint) =>
        new(null, checkpoint ?? throw new ArgumentNullException(nameof(checkpoint)));
}

using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.DeadLetters;

namespace CdcAspire.Pipeline.Kafka.Consuming;

/// <summary>
/// What one step of a <see cref="ConsumerSession"/> hands to the pipeline, in this order: merged checkpoints of
/// skipped messages, then the message's change or its dead letter (written durably before what follows), then the
/// message's checkpoint.
/// </summary>
internal sealed record ConsumeStep(IReadOnlyList<KafkaCheckpoint> Released, ChangeEvent? Change, DeadLetter? DeadLetter, KafkaCheckpoint? Checkpoint)
{
    /// <summary>Nothing arrived (or only skips not yet due).</summary>
    public static readonly ConsumeStep Nothing = new([], null, null, null);
}

namespace CdcAspire.Pipeline.DeadLetters;

/// <summary>
/// Durable store for dead letters. <see cref="WriteAsync"/> returns only once the letters are durable: the
/// position that contains them is acknowledged after it, never before.
/// </summary>
public interface IDeadLetterStore
{
    Task WriteAsync(IReadOnlyList<DeadLetter> letters, CancellationToken cancellationToken);
}

using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace CdcAspire.Consistency.Checking;

/// <summary>
/// Runs an async sequence of pages ahead of its consumer on another task, through a bounded channel, so reading
/// rows, encoding them and reading and comparing documents overlap. Memory: at most <c>capacity</c> pages in
/// flight; pages left behind when the consumer stops early are disposed (their buffers go back to the pool).
/// </summary>
public static class Prefetch
{
    public static async IAsyncEnumerable<T> Ahead<T>(IAsyncEnumerable<T> source, int capacity, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : IDisposable
    {
        var channel = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(async () =>
        {
            try
            {
                await foreach (var item in source.WithCancellation(stop.Token))
                {
                    try
                    {
                        await channel.Writer.WriteAsync(item, stop.Token);
                    }
                    catch
                    {
                        item.Dispose();
                        throw;
                    }
                }

                channel.Writer.Complete();
            }
            catch (Exception ex)
            {
                channel.Writer.Complete(ex);
            }
        }, CancellationToken.None);

        try
        {
            await foreach (var item in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return item;
            }
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await producer;
            }
            catch (OperationCanceledException)
            {
            }

            while (channel.Reader.TryRead(out var left))
            {
                left.Dispose();
            }
        }
    }
}

namespace CdcAspire.Consistency.Checking;

/// <summary>A page of items that share a rented buffer: dispose it once done with them.</summary>
public interface IPage<out T> : IDisposable
{
    IReadOnlyList<T> Items { get; }
}

/// <summary>
/// Walks the items of a sequence of pages one at a time and disposes each page (returning its pooled buffer) as
/// soon as the walk moves past it: an item is valid until the next <see cref="MoveNextAsync"/>, so whoever keeps
/// one longer copies its bytes.
/// </summary>
public sealed class PageCursor<T>(IAsyncEnumerator<IPage<T>> pages) : IAsyncDisposable
    where T : class
{
    private IPage<T>? _page;
    private int _next;

    public T? Current { get; private set; }

    public async ValueTask<bool> MoveNextAsync()
    {
        while (_page is null || _next == _page.Items.Count)
        {
            _page?.Dispose();
            _page = null;
            Current = null;
            if (!await pages.MoveNextAsync())
            {
                return false;
            }

            _page = pages.Current;
            _next = 0;
        }

        Current = _page.Items[_next++];
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        _page?.Dispose();
        _page = null;
        await pages.DisposeAsync();
    }
}

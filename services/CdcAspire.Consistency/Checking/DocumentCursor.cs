using CdcAspire.Consistency.Documents;

namespace CdcAspire.Consistency.Checking;

/// <summary>
/// Walks the documents of a sequence of pages one at a time and disposes each page (returning its pooled buffer) as
/// soon as the walk moves past it: a document is valid until the next <see cref="MoveNextAsync"/>, so whoever keeps
/// one longer copies its source.
/// </summary>
public sealed class DocumentCursor(IAsyncEnumerator<DocumentReader.SearchPage> pages) : IAsyncDisposable
{
    private DocumentReader.SearchPage? _page;
    private int _next;

    public IndexedDocument? Current { get; private set; }

    public async ValueTask<bool> MoveNextAsync()
    {
        while (_page is null || _next == _page.Documents.Count)
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

        Current = _page.Documents[_next++];
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        _page?.Dispose();
        _page = null;
        await pages.DisposeAsync();
    }
}

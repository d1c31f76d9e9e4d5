using CdcAspire.Consistency.Checking;

namespace CdcAspire.Consistency.Rows;

/// <summary>A keyset page of rows as documents; their bytes share one rented buffer, returned on dispose.</summary>
public sealed class RowPage(List<RowDocument> rows, IDisposable? owner) : IPage<RowDocument>
{
    public IReadOnlyList<RowDocument> Items => rows;

    public void Dispose() => owner?.Dispose();
}

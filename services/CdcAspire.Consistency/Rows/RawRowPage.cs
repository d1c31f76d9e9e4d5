using System.Buffers;
using System.Runtime.InteropServices;
using CommunityToolkit.HighPerformance.Buffers;
using Npgsql;

namespace CdcAspire.Consistency.Rows;

/// <summary>
/// A page of rows exactly as PostgreSQL sent them (text format, UTF-8): every value's bytes one after the other in
/// one rented buffer, no string per value. Reading a page this way is little more than a copy, so the next keyset
/// page can be asked for while another task encodes this one (<see cref="RowEncoder.EncodePage"/>).
/// </summary>
public sealed class RawRowPage : IDisposable
{
    private readonly ArrayPoolBufferWriter<byte> _bytes;
    private int[] _ends; // Per value, where its bytes end; ~end for SQL NULL (no bytes).

    public RawRowPage(int fields, int capacity)
    {
        Fields = fields;
        _bytes = new ArrayPoolBufferWriter<byte>(Math.Max(1024, capacity * 256));
        _ends = ArrayPool<int>.Shared.Rent(Math.Max(1, fields * capacity));
    }

    /// <summary>Values per row (the table's columns, then <c>xmin</c>).</summary>
    public int Fields { get; }

    public int Rows { get; private set; }

    /// <summary>Copies the reader's current row.</summary>
    public void Add(NpgsqlDataReader reader)
    {
        if ((Rows + 1) * Fields > _ends.Length)
        {
            var larger = ArrayPool<int>.Shared.Rent(2 * _ends.Length);
            _ends.AsSpan(0, Rows * Fields).CopyTo(larger);
            ArrayPool<int>.Shared.Return(_ends);
            _ends = larger;
        }

        var at = Rows * Fields;
        for (var i = 0; i < Fields; i++)
        {
            if (reader.IsDBNull(i))
            {
                _ends[at + i] = ~_bytes.WrittenCount;
                continue;
            }

            var length = (int)reader.GetBytes(i, 0, null, 0, 0);
            if (!MemoryMarshal.TryGetArray<byte>(_bytes.GetMemory(length), out var free))
            {
                throw new InvalidOperationException("A rented buffer is always an array.");
            }

            _bytes.Advance((int)reader.GetBytes(i, 0, free.Array, free.Offset, length));
            _ends[at + i] = _bytes.WrittenCount;
        }

        Rows++;
    }

    /// <summary>Whether the value is SQL NULL.</summary>
    public bool IsNull(int row, int field) => _ends[row * Fields + field] < 0;

    /// <summary>The value's UTF-8 text (empty for SQL NULL).</summary>
    public ReadOnlySpan<byte> Value(int row, int field)
    {
        var at = row * Fields + field;
        var start = at == 0 ? 0 : End(_ends[at - 1]);
        return _bytes.WrittenSpan[start..End(_ends[at])];
    }

    public void Dispose()
    {
        _bytes.Dispose();
        if (_ends.Length > 0)
        {
            ArrayPool<int>.Shared.Return(_ends);
            _ends = [];
        }
    }

    private static int End(int end) => end < 0 ? ~end : end;
}

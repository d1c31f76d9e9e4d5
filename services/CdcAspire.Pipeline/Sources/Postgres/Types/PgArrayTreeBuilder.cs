namespace CdcAspire.Pipeline.Sources.Postgres.Types;

/// <summary>Builds nested lists from an array literal for <see cref="PgTextArrayParser.Parse(string, char)"/>.</summary>
internal struct PgArrayTreeBuilder : IPgArrayVisitor
{
    private readonly Stack<List<object?>> _open = new();

    public PgArrayTreeBuilder()
    {
    }

    public List<object?> Result { get; private set; } = [];

    public readonly void StartArray()
    {
        var array = new List<object?>();
        if (_open.TryPeek(out var parent))
        {
            parent.Add(array);
        }

        _open.Push(array);
    }

    public void EndArray()
    {
        var closed = _open.Pop();
        if (_open.Count == 0)
        {
            Result = closed;
        }
    }

    public readonly void Element(ReadOnlySpan<char> text, bool isNull) =>
        _open.Peek().Add(isNull ? null : text.ToString());
}

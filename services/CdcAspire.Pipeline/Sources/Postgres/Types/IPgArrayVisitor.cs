namespace CdcAspire.Pipeline.Sources.Postgres.Types;

/// <summary>Receives the structure of an array literal as <see cref="PgTextArrayParser"/> reads it.</summary>
public interface IPgArrayVisitor
{
    /// <summary>A <c>{</c>: an array (or a sub-array of a multi-dimensional array) starts.</summary>
    void StartArray();

    /// <summary>A <c>}</c>: the innermost open array ends.</summary>
    void EndArray();

    /// <summary>
    /// One element's text with quoting and backslash escapes removed, valid only during the call;
    /// <paramref name="isNull"/> for an unquoted <c>NULL</c> (a quoted <c>"NULL"</c> is the string NULL).
    /// </summary>
    void Element(ReadOnlySpan<char> text, bool isNull);
}

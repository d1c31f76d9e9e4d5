using System.Text.Json;

namespace CdcAspire.Pipeline.Sources.Postgres.Types;

/// <summary>Writes an array literal as (nested) JSON arrays, each element by its element type's rules.</summary>
internal readonly struct PgArrayJsonWriter(Utf8JsonWriter writer, PgType element) : IPgArrayVisitor
{
    public void StartArray() => writer.WriteStartArray();

    public void EndArray() => writer.WriteEndArray();

    public void Element(ReadOnlySpan<char> text, bool isNull)
    {
        if (isNull)
        {
            writer.WriteNullValue();
        }
        else
        {
            PgJsonEncoder.Write(writer, element, text);
        }
    }
}

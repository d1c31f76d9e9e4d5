using System.Text.Json;

namespace CdcAspire.Testing.Elasticsearch.Search;

/// <summary>
/// The field has an indexed, non-null value (empty arrays and nulls do not count).
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/query-dsl-exists-query.html
/// </summary>
internal sealed class ExistsQuery : Query
{
    private readonly FieldRef _field;
    private readonly List<JsonElement> _scratch = [];

    public ExistsQuery(string field) => _field = new FieldRef(field);

    public override bool Matches(DocView doc)
    {
        if (_field.Name is "_id" or "_index")
        {
            return true;
        }

        if (_field.Resolve(doc.Index) is not { } field)
        {
            return false;
        }

        doc.Values(field, _scratch);
        return _scratch.Count > 0;
    }
}

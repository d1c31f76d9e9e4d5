using CdcAspire.Testing.Elasticsearch.Bulk;
using CdcAspire.Testing.Elasticsearch.Cluster;
using CdcAspire.Testing.Elasticsearch.Handlers;

namespace CdcAspire.Testing.Elasticsearch.Http;

/// <summary>
/// Maps REST paths to handlers. Unknown paths get ES's 400 "no handler found", known paths with another method its
/// 405 "Incorrect HTTP method". https://www.elastic.co/guide/en/elasticsearch/reference/current/rest-apis.html
/// </summary>
internal sealed class EsRouter
{
    private readonly BulkHandler _bulk;
    private readonly DocumentHandlers _documents;
    private readonly SearchHandlers _search;
    private readonly DeleteByQueryHandler _deleteByQuery;
    private readonly IndexHandlers _indices;
    private readonly TemplateHandlers _templates;
    private readonly AliasHandlers _aliases;
    private readonly InfoHandlers _info;
    private readonly PitHandlers _pit;
    private readonly StatsHandlers _stats;

    public EsRouter(ClusterState cluster, FaultInjector faults, ServerCounters counters)
    {
        _bulk = new BulkHandler(cluster, faults, counters);
        _documents = new DocumentHandlers(cluster);
        var pits = new Pit.PitRegistry();
        _search = new SearchHandlers(cluster, pits);
        _pit = new PitHandlers(cluster, pits);
        _deleteByQuery = new DeleteByQueryHandler(cluster);
        _indices = new IndexHandlers(cluster);
        _templates = new TemplateHandlers(cluster);
        _aliases = new AliasHandlers(cluster);
        _info = new InfoHandlers(cluster);
        _stats = new StatsHandlers(cluster);
    }

    public static bool IsBulk(EsRequest r) => r.Segments.Length is 1 or 2 && r.Segments[^1] == "_bulk";

    public EsResponse Dispatch(EsRequest r)
    {
        var s = r.Segments;
        if (s.Length == 0)
        {
            return On(r, ["GET", "HEAD"], () => r.IsHead ? EsResponse.Empty(200) : _info.Root());
        }

        return s[0].StartsWith('_') ? System(r, s) : Index(r, s, s[0]);
    }

    private EsResponse System(EsRequest r, string[] s) => (s[0], s.Length) switch
    {
        ("_bulk", 1) => On(r, ["POST", "PUT"], () => _bulk.Handle(r, null)),
        ("_refresh", 1) => On(r, ["POST", "GET"], () => _indices.Refresh(null)),
        ("_mget", 1) => On(r, ["GET", "POST"], () => _documents.MultiGet(r, null)),
        ("_search", 1) => On(r, ["GET", "POST"], () => _search.Search(r, null)),
        ("_count", 1) => On(r, ["GET", "POST"], () => _search.Count(r, null)),
        ("_pit", 1) => On(r, ["DELETE"], () => _pit.Close(r)),
        ("_mapping", 1) => On(r, ["GET"], () => _indices.GetMapping(null)),
        ("_settings", 1) => On(r, ["GET"], () => _indices.GetSettings(null)),
        ("_cluster", 2 or 3) when s[1] == "health" => On(r, ["GET"], () => _info.Health(s.Length == 3 ? s[2] : null)),
        ("_index_template", 1) => On(r, ["GET"], () => _templates.Get(r, null)),
        ("_index_template", 2) => r.Method switch
        {
            "PUT" or "POST" => _templates.Put(r, s[1]),
            "GET" or "HEAD" => _templates.Get(r, s[1]),
            "DELETE" => _templates.Delete(s[1]),
            _ => NotAllowed(r, ["PUT", "POST", "GET", "HEAD", "DELETE"]),
        },
        ("_aliases", 1) => r.Method switch
        {
            "POST" or "PUT" => _aliases.Update(r),
            "GET" => _aliases.Get(r, null, null),
            _ => NotAllowed(r, ["POST", "GET"]),
        },
        ("_stats", 1 or 2) => On(r, ["GET"], () => _stats.Stats(r, null, s.Length == 2 ? s[1] : null)),
        ("_all", 2 or 3) when s[1] == "_stats" => On(r, ["GET"], () => _stats.Stats(r, "_all", s.Length == 3 ? s[2] : null)),
        ("_alias", 1 or 2) => On(r, ["GET", "HEAD"], () => _aliases.Get(r, null, s.Length == 2 ? s[1] : null)),
        _ => NoHandler(r),
    };

    private EsResponse Index(EsRequest r, string[] s, string index) => s.Length switch
    {
        1 => r.Method switch
        {
            "PUT" => _indices.Create(r, index),
            "HEAD" => _indices.Exists(index),
            "GET" => _indices.Get(index),
            "DELETE" => _indices.Delete(index),
            _ => NotAllowed(r, ["HEAD", "DELETE", "GET", "PUT"]),
        },
        2 => s[1] switch
        {
            "_bulk" => On(r, ["POST", "PUT"], () => _bulk.Handle(r, index)),
            "_refresh" => On(r, ["POST", "GET"], () => _indices.Refresh(index)),
            "_mget" => On(r, ["GET", "POST"], () => _documents.MultiGet(r, index)),
            "_search" => On(r, ["GET", "POST"], () => _search.Search(r, index)),
            "_count" => On(r, ["GET", "POST"], () => _search.Count(r, index)),
            "_pit" => On(r, ["POST"], () => _pit.Open(r, index)),
            "_delete_by_query" => On(r, ["POST"], () => _deleteByQuery.Handle(r, index)),
            "_mapping" => r.Method switch
            {
                "GET" => _indices.GetMapping(index),
                "PUT" or "POST" => _indices.PutMapping(r, index),
                _ => NotAllowed(r, ["GET", "PUT", "POST"]),
            },
            "_settings" => On(r, ["GET"], () => _indices.GetSettings(index)),
            "_stats" => On(r, ["GET"], () => _stats.Stats(r, index, null)),
            "_alias" or "_aliases" => On(r, ["GET", "HEAD"], () => _aliases.Get(r, index, null)),
            "_doc" => On(r, ["POST"], () => _documents.Write(r, index, null, WriteOp.Index)),
            _ => NoHandler(r),
        },
        3 => s[1] switch
        {
            "_doc" => r.Method switch
            {
                "GET" or "HEAD" => _documents.Get(r, index, s[2]),
                "PUT" or "POST" => _documents.Write(r, index, s[2], WriteOp.Index),
                "DELETE" => _documents.Write(r, index, s[2], WriteOp.Delete),
                _ => NotAllowed(r, ["GET", "HEAD", "PUT", "POST", "DELETE"]),
            },
            "_create" => On(r, ["PUT", "POST"], () => _documents.Write(r, index, s[2], WriteOp.Create)),
            "_update" => On(r, ["POST"], () => _documents.Write(r, index, s[2], WriteOp.Update)),
            "_block" => On(r, ["PUT"], () => _indices.AddBlock(index, s[2])),
            "_alias" or "_aliases" => On(r, ["GET", "HEAD"], () => _aliases.Get(r, index, s[2])),
            "_stats" => On(r, ["GET"], () => _stats.Stats(r, index, s[2])),
            _ => NoHandler(r),
        },
        _ => NoHandler(r),
    };

    private static EsResponse On(EsRequest r, string[] methods, Func<EsResponse> handler) =>
        methods.Contains(r.Method) ? handler() : NotAllowed(r, methods);

    private static EsResponse NotAllowed(EsRequest r, string[] allowed) => EsResponse.Json(405, w =>
    {
        w.WriteStartObject();
        w.WriteString("error", $"Incorrect HTTP method for uri [{r.Path}] and method [{r.Method}], allowed: [{string.Join(", ", allowed)}]");
        w.WriteNumber("status", 405);
        w.WriteEndObject();
    }).WithHeader("Allow", string.Join(",", allowed));

    private static EsResponse NoHandler(EsRequest r) => EsResponse.Json(400, w =>
    {
        w.WriteStartObject();
        w.WriteString("error", $"no handler found for uri [{r.Path}] and method [{r.Method}]");
        w.WriteEndObject();
    });
}

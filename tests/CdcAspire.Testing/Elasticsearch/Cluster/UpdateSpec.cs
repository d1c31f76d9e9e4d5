using System.Text.Json.Nodes;

namespace CdcAspire.Testing.Elasticsearch.Cluster;

/// <summary>
/// The partial-document part of an update: doc, doc_as_upsert, upsert, detect_noop.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-update.html
/// </summary>
internal sealed record UpdateSpec(JsonObject? Doc, bool DocAsUpsert, JsonObject? Upsert, bool DetectNoop);

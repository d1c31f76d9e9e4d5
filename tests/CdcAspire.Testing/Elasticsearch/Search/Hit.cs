using CdcAspire.Testing.Elasticsearch.Cluster;

namespace CdcAspire.Testing.Elasticsearch.Search;

/// <summary>A matching document of the searchable view, with its sort keys when the search sorts.</summary>
internal sealed record Hit(EsIndex Index, int IndexOrdinal, string Id, DocEntry Entry, SortValue[]? Keys);

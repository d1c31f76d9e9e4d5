namespace CdcAspire.Pipeline.Elasticsearch;

/// <summary>The bulk action a change becomes.</summary>
public enum WriteOperation
{
    /// <summary>Create or replace the whole document (never a partial update: the Update API has no external versioning).</summary>
    Index,

    /// <summary>Delete the document; with an external version, Elasticsearch keeps a tombstone for <c>index.gc_deletes</c>.</summary>
    Delete,
}

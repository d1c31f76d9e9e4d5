namespace CdcAspire.Testing.Elasticsearch.Cluster;

/// <summary>
/// An index's indexing counters as the index stats API reports them (indexing.index_total, index_failed,
/// delete_total, noop_update_total). Index and delete operations count once each, whether they came from _bulk or a
/// document API; a refused write (version conflict, mapping error) counts as index_failed, not index_total.
/// Used under the index's <see cref="EsIndex.Gate"/>.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-stats.html
/// </summary>
internal sealed class IndexingStats
{
    public long IndexTotal { get; private set; }

    public long IndexFailed { get; private set; }

    public long DeleteTotal { get; private set; }

    public long NoopUpdateTotal { get; private set; }

    public void Record(WriteOp op, WriteResult result)
    {
        if (result.Error is not null)
        {
            if (op != WriteOp.Delete)
            {
                IndexFailed++;
            }

            return;
        }

        switch (result.Result)
        {
            case "noop":
                NoopUpdateTotal++;
                break;
            case "deleted" or "not_found":
                DeleteTotal++;
                break;
            default:
                IndexTotal++;
                break;
        }
    }

    public void Add(IndexingStats other)
    {
        IndexTotal += other.IndexTotal;
        IndexFailed += other.IndexFailed;
        DeleteTotal += other.DeleteTotal;
        NoopUpdateTotal += other.NoopUpdateTotal;
    }
}

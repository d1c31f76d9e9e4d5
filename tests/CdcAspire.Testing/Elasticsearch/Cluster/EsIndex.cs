using System.Collections.Immutable;
using System.Runtime.InteropServices;
using CdcAspire.Testing.Elasticsearch.Mapping;

namespace CdcAspire.Testing.Elasticsearch.Cluster;

/// <summary>
/// One index with a single shard: the realtime document map, the searchable (refreshed) view, delete tombstones
/// and the mapping. Every member except the metadata properties must be used under <see cref="Gate"/>.
/// </summary>
internal sealed class EsIndex
{
    private const long NotFound = -1;
    private readonly Dictionary<string, DocEntry> _live = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tombstone> _tombstones = new(StringComparer.Ordinal);
    private readonly DocumentWriter _writer;

    // The searchable view is _live with these overrides: for every id written since the last refresh, the entry that
    // was visible at that refresh (null = not visible). A refresh only clears this map, so refresh=true stays cheap.
    private Dictionary<string, DocEntry?> _undo = new(StringComparer.Ordinal);
    private long _nextSeqNo;
    private long _lastRefreshTick;

    public EsIndex(string name, string uuid, IndexSettings settings, IndexMapping mapping, DateTimeOffset createdAt)
    {
        Name = name;
        Uuid = uuid;
        Settings = settings;
        Mapping = mapping;
        CreatedAt = createdAt;
        Validator = new DocumentValidator(mapping);
        _writer = new DocumentWriter(this);
    }

    public string Name { get; }

    public string Uuid { get; }

    public IndexSettings Settings { get; }

    public IndexMapping Mapping { get; }

    public DateTimeOffset CreatedAt { get; }

    public object Gate { get; } = new();

    public DocumentValidator Validator { get; }

    /// <summary>Replaced (never mutated) under the cluster's metadata lock.</summary>
    public ImmutableDictionary<string, AliasMetadata> Aliases { get; set; } = ImmutableDictionary<string, AliasMetadata>.Empty;

    public bool IsDeleted { get; set; }

    /// <summary>
    /// <c>index.blocks.write</c>, set by <c>PUT /{index}/_block/write</c>: every document write fails with 403
    /// cluster_block_exception. https://www.elastic.co/guide/en/elasticsearch/reference/current/index-modules-blocks.html
    /// </summary>
    public bool WriteBlocked { get; set; }

    /// <summary>Every write is on primary term 1: this single node never fails over.</summary>
    public static long PrimaryTerm => 1;

    public int LiveCount => _live.Count;

    /// <summary>The counters GET {index}/_stats reports under indexing.</summary>
    public IndexingStats Indexing { get; } = new();

    public WriteResult Write(WriteRequest request, DateTimeOffset now)
    {
        if (WriteBlocked)
        {
            return WriteResult.Failed(Http.EsErrors.WriteBlocked(Name));
        }

        var result = _writer.Write(request, now);
        Indexing.Record(request.Op, result);
        return result;
    }

    public DocEntry? GetLive(string id) => _live.GetValueOrDefault(id);

    public DocEntry? GetSearchable(string id) =>
        _undo.Count > 0 && _undo.TryGetValue(id, out var old) ? old : _live.GetValueOrDefault(id);

    /// <summary>The current version of a document, or of its tombstone while index.gc_deletes has not passed.</summary>
    public (DocEntry? Live, Tombstone? Tombstone, long CurrentVersion) Lookup(string id, DateTimeOffset now)
    {
        if (_live.TryGetValue(id, out var live))
        {
            return (live, null, live.Version);
        }

        if (_tombstones.TryGetValue(id, out var tombstone))
        {
            if (now - tombstone.DeletedAt < Settings.GcDeletes)
            {
                return (null, tombstone, tombstone.Version);
            }

            _tombstones.Remove(id);
        }

        return (null, null, NotFound);
    }

    public long NextSeqNo() => _nextSeqNo++;

    public void Put(string id, DocEntry? previous, DocEntry entry)
    {
        RememberSearchable(id, previous);
        _live[id] = entry;
        if (_tombstones.Count > 0)
        {
            _tombstones.Remove(id);
        }
    }

    public void Remove(string id, DocEntry? previous, Tombstone tombstone)
    {
        if (previous is not null)
        {
            RememberSearchable(id, previous);
            _live.Remove(id);
        }

        _tombstones[id] = tombstone;
    }

    /// <summary>
    /// Makes every write so far searchable.
    /// https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-refresh.html
    /// </summary>
    public void Refresh()
    {
        if (_undo.Count > 4096)
        {
            _undo = new Dictionary<string, DocEntry?>(StringComparer.Ordinal);
        }
        else
        {
            _undo.Clear();
        }
    }

    /// <summary>
    /// Applies the periodic refresh of index.refresh_interval (default 1s, "-1" disables) on the time provider's
    /// clock, so a fake clock that does not move never refreshes. Called before every read of the searchable view and
    /// once per bulk before writing, which keeps every pending write older than the next refresh tick.
    /// https://www.elastic.co/guide/en/elasticsearch/reference/current/index-modules.html#index-refresh-interval-setting
    /// </summary>
    public void ApplyScheduledRefresh(DateTimeOffset now)
    {
        if (Settings.RefreshInterval is not { } interval)
        {
            return;
        }

        var elapsed = (now - CreatedAt).Ticks;
        var tick = interval.Ticks == 0 ? elapsed : elapsed / interval.Ticks;
        if (tick > _lastRefreshTick)
        {
            _lastRefreshTick = tick;
            Refresh();
            PruneTombstones(now);
        }
    }

    public void CollectSearchable(List<KeyValuePair<string, DocEntry>> into)
    {
        foreach (var (id, entry) in _live)
        {
            if (_undo.Count > 0 && _undo.TryGetValue(id, out var old))
            {
                if (old is not null)
                {
                    into.Add(new(id, old));
                }
            }
            else
            {
                into.Add(new(id, entry));
            }
        }

        foreach (var (id, old) in _undo)
        {
            if (old is not null && !_live.ContainsKey(id))
            {
                into.Add(new(id, old));
            }
        }
    }

    public void CollectLive(List<KeyValuePair<string, DocEntry>> into) => into.AddRange(_live);

    private void RememberSearchable(string id, DocEntry? previous)
    {
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_undo, id, out var exists);
        if (!exists)
        {
            slot = previous;
        }
    }

    private void PruneTombstones(DateTimeOffset now)
    {
        if (_tombstones.Count == 0)
        {
            return;
        }

        List<string>? expired = null;
        foreach (var (id, tombstone) in _tombstones)
        {
            if (now - tombstone.DeletedAt >= Settings.GcDeletes)
            {
                (expired ??= []).Add(id);
            }
        }

        expired?.ForEach(id => _tombstones.Remove(id));
    }
}

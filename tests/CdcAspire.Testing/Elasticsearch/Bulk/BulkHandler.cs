using System.Diagnostics;
using System.Text;
using CdcAspire.Testing.Elasticsearch.Cluster;
using CdcAspire.Testing.Elasticsearch.Http;

namespace CdcAspire.Testing.Elasticsearch.Bulk;

/// <summary>
/// POST /_bulk and /{index}/_bulk. Items are applied in order per index, each succeeding or failing on its own;
/// the response is 200 with "errors" true when any item failed.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-bulk.html
/// </summary>
internal sealed class BulkHandler
{
    private readonly ClusterState _cluster;
    private readonly FaultInjector _faults;
    private readonly ServerCounters _counters;

    public BulkHandler(ClusterState cluster, FaultInjector faults, ServerCounters counters)
    {
        _cluster = cluster;
        _faults = faults;
        _counters = counters;
    }

    public EsResponse Handle(EsRequest request, string? defaultIndex)
    {
        var started = Stopwatch.GetTimestamp();
        var items = BulkParser.Parse(request.Body, defaultIndex);
        WriteValidation.Validate(items);

        var count = items.Count;
        var results = new WriteResult[count];
        var targets = new EsIndex?[count];
        var names = new string[count];
        Resolve(items, targets, names, results);
        if (_faults.HasItemFaults)
        {
            InjectItemFaults(items, targets, results);
        }

        var now = _cluster.Now;
        for (var i = 0; i < count;)
        {
            var index = targets[i];
            if (index is null)
            {
                i++;
                continue;
            }

            // One lock per run of consecutive items for the same index.
            lock (index.Gate)
            {
                index.ApplyScheduledRefresh(now);
                for (; i < count && (targets[i] == index || targets[i] is null); i++)
                {
                    if (targets[i] == index)
                    {
                        results[i] = index.Write(items[i], now);
                    }
                }
            }
        }

        // refresh=true refreshes the touched shards; wait_for returns once a refresh made the writes visible.
        // https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-refresh.html
        var refresh = request.Query("refresh");
        var forced = refresh is "" or "true";
        if (forced || refresh == "wait_for")
        {
            foreach (var index in targets.Where(t => t is not null).Distinct())
            {
                lock (index!.Gate)
                {
                    index.Refresh();
                }
            }
        }

        Count(results);
        var took = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var state = (items, results, targets, names, forced, took);
        return EsResponse.Json(200, state, static (w, s) => Write(w, s.items, s.results, s.targets, s.names, s.forced, s.took), 64 + (count * 160));
    }

    private void Resolve(List<WriteRequest> items, EsIndex?[] targets, string[] names, WriteResult[] results)
    {
        Dictionary<string, object>? cache = null;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var name = item.Index!;
            names[i] = name;
            item.Id ??= AutoIds.Next();
            cache ??= new Dictionary<string, object>(StringComparer.Ordinal);
            var key = item.RequireAlias ? name + "\u0001" : name;
            if (!cache.TryGetValue(key, out var resolved))
            {
                try
                {
                    resolved = _cluster.ResolveForWrite(name, item.RequireAlias);
                }
                catch (EsException ex)
                {
                    // Auto-creation and alias problems fail the item, not the request.
                    resolved = ex.Error;
                }

                cache[key] = resolved;
            }

            if (resolved is EsIndex index)
            {
                targets[i] = index;
                names[i] = index.Name;
            }
            else
            {
                results[i] = WriteResult.Failed((EsError)resolved);
            }
        }
    }

    private void InjectItemFaults(List<WriteRequest> items, EsIndex?[] targets, WriteResult[] results)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (targets[i] is not { } index)
            {
                continue;
            }

            var item = items[i];
            var fault = _faults.TakeItemFault(
                () => new ItemInfo(item.Index ?? index.Name, item.Id!, WriteResultWriter.ActionName(item.Op),
                    item.Op == WriteOp.Update ? item.Update?.Doc?.ToJsonString() : item.Source is null ? null : Encoding.UTF8.GetString(item.Source))
                {
                    ConcreteIndex = index.Name,
                },
                index.Name,
                index.Uuid);
            if (fault is not null)
            {
                results[i] = WriteResult.Failed(fault);
                targets[i] = null;
            }
        }
    }

    private void Count(WriteResult[] results)
    {
        int created = 0, updated = 0, deleted = 0, notFound = 0, noop = 0;
        foreach (var result in results)
        {
            switch (result.Result)
            {
                case "created": created++; break;
                case "updated": updated++; break;
                case "deleted": deleted++; break;
                case "not_found": notFound++; break;
                case "noop": noop++; break;
                default: _counters.OnFailedItem(result.Status); break;
            }
        }

        _counters.OnItems(results.Length, created, updated, deleted, notFound, noop);
    }

    private static void Write(
        System.Text.Json.Utf8JsonWriter w, List<WriteRequest> items, WriteResult[] results, EsIndex?[] targets, string[] names, bool forced, long took)
    {
        var errors = false;
        foreach (var result in results)
        {
            errors |= result.Error is not null;
        }

        w.WriteStartObject();
        w.WriteBoolean("errors", errors);
        w.WriteNumber("took", took);
        w.WriteStartArray("items");
        for (var i = 0; i < results.Length; i++)
        {
            w.WriteStartObject();
            w.WriteStartObject(WriteResultWriter.ActionName(items[i].Op));
            var replicas = targets[i]?.Settings.Replicas ?? 1;
            WriteResultWriter.WriteFields(w, names[i], items[i].Id, results[i], replicas, forced, withStatus: true);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}

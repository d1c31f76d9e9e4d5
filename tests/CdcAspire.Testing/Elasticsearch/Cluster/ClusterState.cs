using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json.Nodes;
using CdcAspire.Testing.Elasticsearch.Http;
using CdcAspire.Testing.Elasticsearch.Mapping;

namespace CdcAspire.Testing.Elasticsearch.Cluster;

/// <summary>
/// Cluster metadata: indices, aliases and index templates. Metadata changes are serialised on one lock; lookups are
/// lock-free so the bulk path never waits for them.
/// </summary>
internal sealed class ClusterState
{
    private readonly object _meta = new();
    private readonly ConcurrentDictionary<string, EsIndex> _indices = new(StringComparer.Ordinal);
    private volatile Dictionary<string, EsIndex[]> _aliases = new(StringComparer.Ordinal);

    public ClusterState(TimeProvider time) => Time = time;

    public TimeProvider Time { get; }

    public DateTimeOffset Now => Time.GetUtcNow();

    public IReadOnlyDictionary<string, EsIndex[]> Aliases => _aliases;

    public TemplateRegistry Templates { get; } = new();

    public EsIndex? Index(string name) => _indices.GetValueOrDefault(name);

    public List<EsIndex> AllIndices()
    {
        var all = _indices.Values.ToList();
        all.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return all;
    }

    /// <summary>
    /// The index a write to <paramref name="name"/> goes to: the index itself, the alias's write index, or an index
    /// created on the fly (action.auto_create_index is true by default).
    /// https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-index_.html#index-creation
    /// https://www.elastic.co/guide/en/elasticsearch/reference/current/aliases.html#write-index
    /// </summary>
    public EsIndex ResolveForWrite(string name, bool requireAlias)
    {
        if (!requireAlias && _indices.TryGetValue(name, out var index))
        {
            return index;
        }

        if (_aliases.TryGetValue(name, out var targets))
        {
            foreach (var target in targets)
            {
                if (target.Aliases.TryGetValue(name, out var alias) && alias.IsWriteIndex == true)
                {
                    return target;
                }
            }

            if (targets.Length == 1 && targets[0].Aliases[name].IsWriteIndex != false)
            {
                return targets[0];
            }

            throw new EsException(EsErrors.IllegalArgument(
                $"no write index is defined for alias [{name}]. The write index may be explicitly disabled using is_write_index=false or the alias points to multiple indices without one being designated as a write index"));
        }

        if (requireAlias)
        {
            // https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-bulk.html (require_alias)
            throw new EsException(IndexNotFoundForAlias(name));
        }

        return CreateIndex(name, body: null, explicitCreate: false);
    }

    /// <summary>
    /// Resolves a read target: comma lists, "*" wildcards over indices and aliases, _all. Missing concrete names are
    /// 404s; wildcards that match nothing are not (allow_no_indices).
    /// https://www.elastic.co/guide/en/elasticsearch/reference/current/api-conventions.html#api-multi-index
    /// </summary>
    public List<EsIndex> ResolveRead(string? expression, string resourceType = "index_or_alias")
    {
        if (string.IsNullOrEmpty(expression) || expression is "_all" or "*")
        {
            return AllIndices();
        }

        var result = new List<EsIndex>();
        var aliases = _aliases;
        foreach (var raw in expression.Split(','))
        {
            var part = raw.Trim();
            if (part.StartsWith('-') && result.Count > 0)
            {
                result.RemoveAll(i => IndexPattern.Matches(part[1..], i.Name));
                continue;
            }

            if (IndexPattern.IsWildcard(part))
            {
                foreach (var index in AllIndices().Where(i => IndexPattern.Matches(part, i.Name)))
                {
                    AddOnce(result, index);
                }

                foreach (var (alias, targets) in aliases)
                {
                    if (IndexPattern.Matches(part, alias))
                    {
                        Array.ForEach(targets, t => AddOnce(result, t));
                    }
                }
            }
            else if (_indices.TryGetValue(part, out var index))
            {
                AddOnce(result, index);
            }
            else if (aliases.TryGetValue(part, out var targets))
            {
                Array.ForEach(targets, t => AddOnce(result, t));
            }
            else
            {
                throw new EsException(EsErrors.IndexNotFound(part, resourceType));
            }
        }

        return result;
    }

    /// <summary>
    /// Creates an index from the highest-priority matching template overlaid with the request body.
    /// https://www.elastic.co/guide/en/elasticsearch/reference/current/index-templates.html
    /// </summary>
    public EsIndex CreateIndex(string name, JsonObject? body, bool explicitCreate)
    {
        IndexNames.Validate(name);
        lock (_meta)
        {
            if (_indices.TryGetValue(name, out var existing))
            {
                return explicitCreate ? throw new EsException(EsErrors.IndexAlreadyExists(name, existing.Uuid)) : existing;
            }

            if (_aliases.ContainsKey(name))
            {
                throw new EsException(EsErrors.InvalidIndexName(name, "already exists as alias"));
            }

            var template = Templates.BestMatch(name);
            var settings = new SortedDictionary<string, string>(StringComparer.Ordinal);
            IndexSettings.Flatten(template?.Settings, settings);
            IndexSettings.Flatten(body?["settings"], settings);
            var mappings = JsonMerge.Merge(template?.Mappings, body?["mappings"] as JsonObject);
            var uuid = NewUuid();
            var now = Now;
            var index = new EsIndex(name, uuid, IndexSettings.Create(settings, name, uuid, now), MappingParser.Parse(mappings), now);
            var aliases = ImmutableDictionary.CreateBuilder<string, AliasMetadata>(StringComparer.Ordinal);
            AddAliases(aliases, template?.Aliases);
            AddAliases(aliases, body?["aliases"] as JsonObject);
            index.Aliases = aliases.ToImmutable();
            _indices[name] = index;
            try
            {
                RebuildAliases();
            }
            catch (EsException)
            {
                _indices.TryRemove(name, out _);
                RebuildAliases();
                throw;
            }

            return index;
        }
    }

    public void DeleteIndex(EsIndex index)
    {
        lock (_meta)
        {
            _indices.TryRemove(index.Name, out _);
            index.IsDeleted = true;
            RebuildAliases();
        }
    }

    /// <summary>Applies alias actions atomically: all or none.</summary>
    public void ApplyAliasActions(IReadOnlyList<AliasAction> actions)
    {
        lock (_meta)
        {
            var applier = new AliasActionsApplier(this, actions);
            applier.Apply();
            try
            {
                RebuildAliases();
            }
            catch (EsException)
            {
                applier.Rollback();
                RebuildAliases();
                throw;
            }
        }
    }

    internal void RemoveIndexUnderLock(EsIndex index)
    {
        _indices.TryRemove(index.Name, out _);
        index.IsDeleted = true;
    }

    private void RebuildAliases()
    {
        var map = new Dictionary<string, List<EsIndex>>(StringComparer.Ordinal);
        foreach (var index in AllIndices())
        {
            foreach (var alias in index.Aliases.Keys)
            {
                if (!map.TryGetValue(alias, out var list))
                {
                    map[alias] = list = [];
                }

                list.Add(index);
            }
        }

        foreach (var (alias, list) in map)
        {
            var writers = list.Where(i => i.Aliases[alias].IsWriteIndex == true).Select(i => i.Name).ToList();
            if (writers.Count > 1)
            {
                throw new EsException(new EsError(400, "illegal_state_exception",
                    $"alias [{alias}] has more than one write index [{string.Join(",", writers)}]"));
            }
        }

        _aliases = map.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
    }

    private static void AddOnce(List<EsIndex> list, EsIndex index)
    {
        if (!list.Contains(index))
        {
            list.Add(index);
        }
    }

    private static void AddAliases(ImmutableDictionary<string, AliasMetadata>.Builder into, JsonObject? aliases)
    {
        if (aliases is null)
        {
            return;
        }

        foreach (var (name, definition) in aliases)
        {
            into[name] = AliasActionsApplier.ParseAliasDefinition(definition as JsonObject);
        }
    }

    private static EsError IndexNotFoundForAlias(string name) =>
        new EsError(404, "index_not_found_exception", $"no such index [{name}] and [require_alias] request flag is [true] and [{name}] is not an alias")
            .With("index_uuid", "_na_").With("index", name);

    // ES index UUIDs are 22-character URL-safe base64 strings.
    private static string NewUuid() =>
        Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

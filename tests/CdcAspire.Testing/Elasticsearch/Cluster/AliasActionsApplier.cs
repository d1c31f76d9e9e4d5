using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using CdcAspire.Testing.Elasticsearch.Http;

namespace CdcAspire.Testing.Elasticsearch.Cluster;

/// <summary>
/// Validates then applies POST /_aliases actions (add, remove, remove_index) as one atomic change.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-aliases.html
/// </summary>
internal sealed class AliasActionsApplier
{
    private readonly ClusterState _cluster;
    private readonly IReadOnlyList<AliasAction> _actions;

    public AliasActionsApplier(ClusterState cluster, IReadOnlyList<AliasAction> actions)
    {
        _cluster = cluster;
        _actions = actions;
    }

    public static AliasMetadata ParseAliasDefinition(JsonObject? definition)
    {
        if (definition?["filter"] is not null)
        {
            throw new EsException(EsErrors.NotSupported("An alias filter"));
        }

        var isWrite = definition?["is_write_index"];
        return new AliasMetadata(isWrite is null ? null : isWrite.GetValueKind() == JsonValueKind.True);
    }

    /// <summary>Runs under the cluster's metadata lock.</summary>
    public void Apply()
    {
        var pending = new Dictionary<EsIndex, ImmutableDictionary<string, AliasMetadata>>();

        // "Every remove_index action in the request runs first, before any add or remove actions, no matter where it
        // sits in the actions array", so an index can be replaced by an alias of the same name in one request.
        // https://www.elastic.co/docs/api/elasticsearch/operation/operation-indices-update-aliases
        var removed = new HashSet<EsIndex>();
        foreach (var action in _actions.Where(a => a.Kind == "remove_index"))
        {
            removed.UnionWith(Expand(action.Indices));
        }

        foreach (var action in _actions.Where(a => a.Kind != "remove_index"))
        {
            var indices = Expand(action.Indices).Where(i => !removed.Contains(i)).ToList();
            switch (action.Kind)
            {
                case "add":
                    foreach (var alias in action.Aliases)
                    {
                        if (_cluster.Index(alias) is { } same && !removed.Contains(same))
                        {
                            throw new EsException(new EsError(400, "invalid_alias_name_exception",
                                $"Invalid alias name [{alias}]: an index or data stream exists with the same name as the alias"));
                        }

                        foreach (var index in indices)
                        {
                            pending[index] = Current(index).SetItem(alias, new AliasMetadata(action.IsWriteIndex));
                        }
                    }

                    break;
                case "remove":
                    var matched = false;
                    foreach (var index in indices)
                    {
                        var current = Current(index);
                        foreach (var name in current.Keys.Where(n => action.Aliases.Any(a => IndexPattern.Matches(a, n))).ToList())
                        {
                            current = current.Remove(name);
                            matched = true;
                        }

                        pending[index] = current;
                    }

                    if (!matched)
                    {
                        throw new EsException(new EsError(404, "aliases_not_found_exception",
                            $"aliases [{string.Join(",", action.Aliases)}] missing").With("resource.type", "aliases").With("resource.id", string.Join(",", action.Aliases)));
                    }

                    break;
            }
        }

        var previous = pending.Keys.ToDictionary(i => i, i => i.Aliases);
        foreach (var (index, aliases) in pending)
        {
            index.Aliases = aliases;
        }

        foreach (var index in removed)
        {
            _cluster.RemoveIndexUnderLock(index);
        }

        Rollback = () =>
        {
            foreach (var (index, aliases) in previous)
            {
                index.Aliases = aliases;
            }
        };

        ImmutableDictionary<string, AliasMetadata> Current(EsIndex index) =>
            pending.TryGetValue(index, out var aliases) ? aliases : index.Aliases;
    }

    /// <summary>Restores the aliases changed by <see cref="Apply"/> when the resulting state is invalid.</summary>
    public Action Rollback { get; private set; } = () => { };

    private List<EsIndex> Expand(IReadOnlyList<string> names)
    {
        var result = new List<EsIndex>();
        foreach (var name in names)
        {
            if (IndexPattern.IsWildcard(name))
            {
                result.AddRange(_cluster.AllIndices().Where(i => IndexPattern.Matches(name, i.Name)));
            }
            else
            {
                result.Add(_cluster.Index(name) ?? throw new EsException(EsErrors.IndexNotFound(name)));
            }
        }

        return result;
    }
}

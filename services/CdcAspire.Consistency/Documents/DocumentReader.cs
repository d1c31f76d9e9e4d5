using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using CdcAspire.Consistency.Rows;
using CdcAspire.Pipeline.Elasticsearch;
using EsMethod = Elastic.Transport.HttpMethod;

namespace CdcAspire.Consistency.Documents;

/// <summary>
/// Reads documents back from Elasticsearch: whole indices in key order (point in time + search_after), documents by
/// id (<c>_mget</c>, real-time), counts and the mapping's sortable key fields.
/// </summary>
/// <remarks>
/// Requests go through the shared client's raw JSON path (<see cref="SearchClusterClient.SendJsonAsync"/>:
/// the library's node pool, failover, credentials, plain-JSON headers and error mapping) and read raw bytes, not
/// typed responses: the comparison needs each
/// <c>_source</c> as the exact bytes Elasticsearch stored (deserialising documents would re-encode numbers and
/// strings, which is precisely what the check must not do), and pages are parsed without copies.
/// </remarks>
public sealed class DocumentReader(SearchClusterClient client)
{

    /// <summary>Makes every acknowledged write visible to search (the point in time sees only refreshed documents).</summary>
    public async Task RefreshAsync(string index, CancellationToken cancellationToken) =>
        await SendAsync(EsMethod.POST, $"{Uri.EscapeDataString(index)}/_refresh", null, allowNotFound: true, cancellationToken);

    /// <summary>Whether the index (or alias) exists.</summary>
    public async Task<bool> ExistsAsync(string index, CancellationToken cancellationToken) =>
        await SendAsync(EsMethod.GET, $"{Uri.EscapeDataString(index)}/_mapping", null, allowNotFound: true, cancellationToken) is not null;

    /// <summary>
    /// The field to sort on for each key column: the column itself when mapped as a number or keyword, its
    /// <c>keyword</c> sub-field when it is text (dynamic mapping); an error names the column otherwise.
    /// </summary>
    public async Task<string[]> SortFieldsAsync(string index, CheckedTable table, CancellationToken cancellationToken)
    {
        var body = await SendAsync(EsMethod.GET, $"{Uri.EscapeDataString(index)}/_mapping", null, allowNotFound: false, cancellationToken);
        using var doc = JsonDocument.Parse(body!);
        var fields = new string[table.KeyOrder.Count];
        for (var i = 0; i < fields.Length; i++)
        {
            var column = table.KeyOrder[i].Column.Name;
            string? chosen = null;
            foreach (var concrete in doc.RootElement.EnumerateObject())
            {
                if (!concrete.Value.TryGetProperty("mappings", out var mappings) || !mappings.TryGetProperty("properties", out var properties)
                    || !properties.TryGetProperty(column, out var field))
                {
                    continue;
                }

                var type = field.TryGetProperty("type", out var t) ? t.GetString() : "object";
                chosen = type switch
                {
                    "long" or "integer" or "short" or "byte" or "unsigned_long" or "keyword" or "constant_keyword" => column,
                    "text" when field.TryGetProperty("fields", out var sub) && sub.EnumerateObject()
                        .FirstOrDefault(f => f.Value.TryGetProperty("type", out var st) && st.GetString() == "keyword") is { Name: { } name } kw
                        && kw.Value.ValueKind == JsonValueKind.Object => $"{column}.{name}",
                    _ => null,
                };
                if (chosen is null)
                {
                    throw new InvalidOperationException(
                        $"Index {index} maps key column {column} of {table.Id} as '{type}', which Elasticsearch cannot sort on in key order. " +
                        "Map it as a number or keyword (or give the text field a keyword sub-field) in its index template.");
                }
            }

            // Not mapped yet (no document has it): any sortable name works, the index holds no such documents.
            fields[i] = chosen ?? column;
        }

        return fields;
    }

    /// <summary>
    /// Every document of the index in key order, from one point in time, a page at a time (the next page is fetched
    /// while this one is compared). Each page holds its documents in a rented buffer: dispose it once done with them.
    /// </summary>
    public async IAsyncEnumerable<SearchPage> ReadPagesAsync(
        string index, string[] sortFields, int pageSize, TimeSpan keepAlive, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var keep = $"{(long)keepAlive.TotalSeconds}s";
        var opened = await SendAsync(EsMethod.POST, $"{Uri.EscapeDataString(index)}/_pit?keep_alive={keep}", null, allowNotFound: true, cancellationToken);
        if (opened is null)
        {
            yield break; // No index: no documents.
        }

        string pitId;
        using (var doc = JsonDocument.Parse(opened))
        {
            pitId = doc.RootElement.GetProperty("id").GetString()!;
        }

        Task<SearchPage>? next = null;
        try
        {
            var sort = string.Join(",", sortFields.Select(f => $"{{{JsonSerializer.Serialize(f)}:{{\"order\":\"asc\"}}}}"));
            next = SearchPageAsync(pitId, keep, sort, null, pageSize, 0, cancellationToken);
            while (true)
            {
                var page = await next!;
                next = null;
                pitId = page.PitId ?? pitId;
                var last = page.Documents.Count < pageSize;
                if (!last)
                {
                    next = SearchPageAsync(pitId, keep, sort, page.LastSort, pageSize, page.Bytes, cancellationToken);
                }

                yield return page;
                if (last)
                {
                    break;
                }
            }
        }
        finally
        {
            if (next is not null)
            {
                // Stopped early: the page asked for ahead goes back to the pool too.
                try
                {
                    (await next).Dispose();
                }
                catch (Exception ex) when (ex is ElasticsearchException or OperationCanceledException or JsonException)
                {
                }
            }

            // Free the point in time now rather than at keep_alive; a failure here only costs the server memory.
            try
            {
                await SendAsync(EsMethod.DELETE, "_pit", $"{{\"id\":{JsonSerializer.Serialize(pitId)}}}", allowNotFound: true, CancellationToken.None);
            }
            catch (ElasticsearchException)
            {
            }
        }
    }

    /// <summary>Documents by id, real-time (also those not yet refreshed), with their versions. Missing ids are absent.</summary>
    public async Task<Dictionary<string, IndexedDocument>> GetManyAsync(string index, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, IndexedDocument>(StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return found;
        }

        var body = $"{{\"docs\":[{string.Join(",", ids.Select(id => $"{{\"_id\":{JsonSerializer.Serialize(id)}}}"))}]}}";
        var response = await SendAsync(EsMethod.POST, $"{Uri.EscapeDataString(index)}/_mget?version=true", body, allowNotFound: true, cancellationToken);
        if (response is null)
        {
            return found;
        }

        using var doc = JsonDocument.Parse(response);
        foreach (var item in doc.RootElement.GetProperty("docs").EnumerateArray())
        {
            if (item.TryGetProperty("error", out var error))
            {
                if (error.TryGetProperty("type", out var type) && type.GetString() == "index_not_found_exception")
                {
                    continue;
                }

                throw new ElasticsearchException($"Elasticsearch could not get a document of {index}: {error}", null, null, isTransient: true);
            }

            if (item.TryGetProperty("found", out var f) && f.GetBoolean() && item.TryGetProperty("_source", out var source))
            {
                var id = item.GetProperty("_id").GetString()!;
                var version = item.TryGetProperty("_version", out var v) ? v.GetInt64() : 0;
                found[id] = new IndexedDocument(id, JsonMarshal.GetRawUtf8Value(source).ToArray(), version);
            }
        }

        return found;
    }

    /// <summary>The number of (refreshed) documents; 0 when the index does not exist.</summary>
    public async Task<long> CountAsync(string index, CancellationToken cancellationToken)
    {
        var body = await SendAsync(EsMethod.GET, $"{Uri.EscapeDataString(index)}/_count", null, allowNotFound: true, cancellationToken);
        if (body is null)
        {
            return 0;
        }

        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("count").GetInt64();
    }

    private async Task<SearchPage> SearchPageAsync(string pitId, string keep, string sort, string? after, int size, int sizeHint, CancellationToken cancellationToken)
    {
        var body = new StringBuilder(256);
        body.Append("{\"size\":").Append(size).Append(",\"track_total_hits\":false,\"pit\":{\"id\":").Append(JsonSerializer.Serialize(pitId))
            .Append(",\"keep_alive\":\"").Append(keep).Append("\"},\"sort\":[").Append(sort).Append(']');
        if (after is not null)
        {
            body.Append(",\"search_after\":").Append(after);
        }

        body.Append('}');
        var (_, response) = await client.SendJsonPooledAsync(EsMethod.POST, "/_search", body.ToString(), allowNotFound: false, sizeHint, cancellationToken);
        try
        {
            return ParsePage(response.WrittenMemory, size, response);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads a search response with a forward-only reader: each hit's <c>_source</c> is a slice of the response (no
    /// copy: the exact bytes stored, which is what the comparison needs), and only the last hit's sort values are
    /// kept as text. A page of documents shares one buffer (<paramref name="owner"/>, returned when the page is
    /// disposed), so whoever keeps a document beyond its page copies it.
    /// </summary>
    public static SearchPage ParsePage(ReadOnlyMemory<byte> response, int size, IDisposable? owner = null)
    {
        var reader = new Utf8JsonReader(response.Span);
        var documents = new List<IndexedDocument>(size);
        string? pitId = null;
        (long Start, long End) lastSort = default;
        Expect(ref reader, JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("pit_id"u8))
            {
                reader.Read();
                pitId = reader.GetString();
            }
            else if (reader.ValueTextEquals("hits"u8))
            {
                Expect(ref reader, JsonTokenType.StartObject);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (!reader.ValueTextEquals("hits"u8))
                    {
                        reader.Read();
                        reader.Skip();
                        continue;
                    }

                    Expect(ref reader, JsonTokenType.StartArray);
                    while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                    {
                        string? id = null;
                        ReadOnlyMemory<byte> source = ReadOnlyMemory<byte>.Empty;
                        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                        {
                            if (reader.ValueTextEquals("_id"u8))
                            {
                                reader.Read();
                                id = reader.GetString();
                            }
                            else if (reader.ValueTextEquals("_source"u8))
                            {
                                reader.Read();
                                var start = reader.TokenStartIndex;
                                reader.Skip();
                                source = response.Slice((int)start, (int)(reader.BytesConsumed - start));
                            }
                            else if (reader.ValueTextEquals("sort"u8))
                            {
                                reader.Read();
                                var start = reader.TokenStartIndex;
                                reader.Skip();
                                lastSort = (start, reader.BytesConsumed);
                            }
                            else
                            {
                                reader.Read();
                                reader.Skip();
                            }
                        }

                        documents.Add(new IndexedDocument(id ?? throw new JsonException("A search hit without _id."), source, 0));
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        var last = lastSort.End > 0 ? Encoding.UTF8.GetString(response.Span[(int)lastSort.Start..(int)lastSort.End]) : null;
        return new SearchPage(documents, last, pitId, response.Length, owner);
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (!reader.Read() || reader.TokenType != type)
        {
            throw new JsonException($"Unexpected search response: {type} expected at byte {reader.TokenStartIndex}.");
        }
    }

    /// <summary>One request through the shared client's raw JSON path; null for a 404 when <paramref name="allowNotFound"/>.</summary>
    private async Task<byte[]?> SendAsync(EsMethod method, string path, string? json, bool allowNotFound, CancellationToken cancellationToken)
    {
        var (status, body) = await client.SendJsonAsync(method, "/" + path, json, allowNotFound, cancellationToken);
        return status == 404 ? null : body;
    }

    /// <summary>One page of documents; disposing it returns the buffer its documents' sources live in.</summary>
    public sealed class SearchPage(List<IndexedDocument> documents, string? lastSort, string? pitId, int bytes, IDisposable? owner) : Checking.IPage<IndexedDocument>
    {
        public List<IndexedDocument> Documents { get; } = documents;

        IReadOnlyList<IndexedDocument> Checking.IPage<IndexedDocument>.Items => Documents;

        /// <summary>The last hit's sort values as JSON (the next page's <c>search_after</c>).</summary>
        public string? LastSort { get; } = lastSort;

        public string? PitId { get; } = pitId;

        /// <summary>The response's size: the next page's buffer starts this big.</summary>
        public int Bytes { get; } = bytes;

        public void Dispose() => owner?.Dispose();
    }
}

using CdcAspire.Consistency.Checking;
using CdcAspire.Consistency.Rows;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Mapping;
using CdcAspire.Pipeline.Sources.Postgres;
using CdcAspire.Pipeline.Sources.Postgres.Types;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CdcAspire.Consistency.Tests;

/// <summary>
/// The check reads rows as raw bytes and writes their documents straight into pooled pages; what it writes must be,
/// byte for byte, the document the sink's mapper makes from the same row (the pipeline's path: a string per value,
/// a change event, <see cref="DocumentMapper.Map"/>), or the check would report differences of its own making.
/// </summary>
public sealed class RowEncodingTests(PostgresFixture postgres)
{
    [Fact]
    public async Task PagesAndRowsByKeyAreTheMappersDocumentsByteForByte()
    {
        await using var s = await Scenario.CreateAsync(postgres, "encoding");
        s.Environment["Cdc__Tables__public.odd__Index"] = "odd";
        s.Environment["Cdc__Tables__public.odd__ExcludeColumns__0"] = "secret";
        await s.ExecuteAsync("""
            CREATE TABLE odd (region text, n int, note text, secret text, price numeric(30,10), at timestamptz, day date,
                              ok boolean, ints int[], words text[], meta jsonb, raw bytea, PRIMARY KEY (region, n));
            INSERT INTO odd VALUES
              ('eu', 1, 'plain', 's1', 1.5, '2024-02-29 23:59:59.123456+00', '2024-02-29', true, '{1,2,3}', '{"a b","c\"d",NULL}', '{"k": [1, 2.50, "ü"]}', '\x00ff'),
              ('eu', 2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
              ('Zürich 🚀', 3, 'quote " backslash \ tab 	 ctrl ' || chr(1) || ' emoji 🚀 é', 's3', 12345678901234567890.0123456789, '1999-12-31 23:00:00-02', '0001-01-01', false, '{}', '{}', '[]', ''),
              ('eu', 4, repeat('long ü ', 3000), 's4', -0.0000000001, 'infinity', 'infinity', true, '{-2147483648}', '{NULL}', '"just a string"', decode(repeat('ab', 5000), 'hex')),
              ('ap', 5, '', '', 0, '2024-01-01 00:00:00+00', '2024-01-01', true, '{0}', '{""}', 'null', '\x'),
              ('ap', 6, 'last', NULL, 1e-5, now(), current_date, NULL, NULL, '{x}', '{"nested": {"a": [{"b": null}]}}', NULL),
              ('ap', 7, 'seven', 'x', 7, now(), current_date, true, '{7}', '{y}', '{}', '\x07');
            """);
        var checker = s.Services.GetRequiredService<TableChecker>();
        var reader = s.Services.GetRequiredService<RowReader>();
        var mapper = s.Services.GetRequiredService<DocumentMapper>();
        var table = await checker.DescribeAsync(TableId.Parse("public.odd"), CancellationToken.None);
        var expected = await MapperDocumentsAsync(s.Services.GetRequiredService<PostgresConnections>(), table, mapper);

        // Pages of three: several keyset pages, the last one short.
        var paged = new List<(string Id, string[] Key, byte[] Document)>();
        await foreach (var page in reader.ReadPagesAsync(table, 3, CancellationToken.None))
        {
            using (page)
            {
                paged.AddRange(page.Items.Select(r => (r.Id, r.Key, r.Document.ToArray())));
            }
        }

        var byKey = await reader.ReadByKeysAsync(table, [.. expected.Values.Select(e => e.Key)], CancellationToken.None);

        Assert.Equal(7, expected.Count);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), paged.Select(p => p.Id).Order(StringComparer.Ordinal));
        foreach (var (id, key, document) in paged)
        {
            Assert.Equal(expected[id].Key, key);
            Assert.Equal(Text(expected[id].Document), Text(document));
            Assert.Equal(Text(expected[id].Document), Text(byKey[id].Document.ToArray()));
        }

        Assert.DoesNotContain("secret", Text(paged[0].Document), StringComparison.Ordinal);
    }

    /// <summary>The pipeline's own way: every value as a string, encoded one by one, mapped as a snapshot change.</summary>
    private static async Task<Dictionary<string, (string[] Key, byte[] Document)>> MapperDocumentsAsync(
        PostgresConnections connections, CheckedTable table, DocumentMapper mapper)
    {
        var columns = table.Source.Columns;
        var found = new Dictionary<string, (string[] Key, byte[] Document)>(StringComparer.Ordinal);
        await using var connection = await connections.DataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT " + string.Join(", ", columns.Select(c => KeyColumnOrder.Quote(c.Name))) + " FROM public.odd", connection)
        { AllResultTypesAreUnknown = true };
        await using var rows = await cmd.ExecuteReaderAsync();
        while (await rows.ReadAsync())
        {
            var values = columns.Select((c, i) => PgJsonEncoder.ToColumnValue(c.Name, c.Type, rows.IsDBNull(i) ? null : rows.GetString(i))).ToArray();
            string[] key = [.. table.KeyIndexes.Select(i => rows.GetString(i))];
            var action = Assert.Single(mapper.Map(new ChangeEvent(table.Id, ChangeKind.Snapshot, Position.Zero, key, values)).Actions);
            found[action.Id] = (key, action.Document.ToArray());
        }

        return found;
    }

    private static string Text(byte[] utf8) => System.Text.Encoding.UTF8.GetString(utf8);
}

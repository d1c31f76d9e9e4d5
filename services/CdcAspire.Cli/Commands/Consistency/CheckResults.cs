using System.Globalization;
using System.Text.Json.Nodes;
using CdcAspire.Cli.Rendering;
using CdcAspire.Cli.Services;
using CdcAspire.Consistency.V1;
using Grpc.Core;
using Spectre.Console;

namespace CdcAspire.Cli.Commands.Consistency;

/// <summary>
/// Reads a Check or Repair stream (progress per table, then each table's result) with a progress bar, and prints the
/// results: a summary table, or with <c>--json</c> the contract's array (<c>table</c>, <c>missing</c>, <c>extra</c>,
/// <c>mismatched</c>, <c>differences</c> with <c>key</c>, <c>kind</c> and for mismatches <c>fields</c>).
/// </summary>
internal static class CheckResults
{
    public static async Task<List<TableResult>> ReadAsync(AsyncServerStreamingCall<CheckProgress> call, string description, bool json, CancellationToken cancellationToken)
    {
        var results = new List<TableResult>();
        await ProgressBar.RunAsync(description, show: !json, async report =>
        {
            await foreach (var item in call.ResponseStream.ReadAllAsync(cancellationToken))
            {
                if (item.Progress is { } p)
                {
                    report(p.RowsChecked, p.RowsEstimated, $"{description} {p.Table} ({p.Differences} differences)");
                }
                else if (item.Result is { } r)
                {
                    results.Add(r);
                }
            }
        });
        return results;
    }

    /// <summary>Ok when every table completed and nothing is left different (a repair's outcomes count as fixed unless failed).</summary>
    public static int ExitCode(IReadOnlyList<TableResult> results)
    {
        if (results.Any(r => r.Error.Length > 0))
        {
            return ExitCodes.NotClean;
        }

        return results.All(Clean) ? ExitCodes.Ok : ExitCodes.NotClean;
    }

    public static void Print(IReadOnlyList<TableResult> results, bool json)
    {
        if (json)
        {
            JsonOutput.Write(new JsonArray(results.Select(r => (JsonNode)ToJson(r)).ToArray()));
            return;
        }

        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("Table", "Index", "Mode", "Rows", "Documents", "Missing", "Extra", "Mismatched", "Repaired", "Took");
        foreach (var r in results)
        {
            var repaired = r.Repaired is { } c ? $"{c.Indexed + c.Deleted + c.Superseded} ok, {c.Failed} failed" : "-";
            table.AddRow(Markup.Escape(r.Table), Markup.Escape(r.Index), Markup.Escape(ModeName(r.Mode)),
                N(r.Mode == Mode.Count ? r.RowCount : r.RowsChecked), N(r.Mode == Mode.Count ? r.DocumentCount : r.DocumentsChecked),
                Colored(r.Missing), Colored(r.Extra), Colored(r.Mismatched), Markup.Escape(repaired),
                (r.Duration?.ToTimeSpan().TotalSeconds ?? 0).ToString("0.0 s", CultureInfo.InvariantCulture));
        }

        Terminal.Console.Write(table);
        foreach (var r in results)
        {
            if (r.Error.Length > 0)
            {
                Terminal.Console.MarkupLine($"[red]{Markup.Escape(r.Table)}: did not complete: {Markup.Escape(r.Error)}[/]");
            }

            foreach (var d in r.Differences.Take(20))
            {
                var fields = string.Join(", ", d.Fields.Select(f => $"{f.Field}: row {f.RowValue} / document {f.DocumentValue}"));
                Terminal.Console.WriteLine($"{r.Table} {KindName(d.Kind)} {d.Key}{(fields.Length > 0 ? " (" + fields + ")" : string.Empty)}");
            }

            var more = r.Missing + r.Extra + r.Mismatched - Math.Min(20, r.Differences.Count);
            if (more > 0 && r.Differences.Count > 0)
            {
                Terminal.Console.WriteLine($"{r.Table}: {more} more (--json lists up to the service's limit).");
            }
        }
    }

    public static string ModeName(Mode mode) => mode switch
    {
        Mode.Count => "count",
        Mode.Sample => "sample",
        Mode.Full => "full",
        _ => "unspecified",
    };

    public static string KindName(DifferenceKind kind) => kind switch
    {
        DifferenceKind.Missing => "missing",
        DifferenceKind.Extra => "extra",
        DifferenceKind.Mismatched => "mismatched",
        _ => "unspecified",
    };

    private static bool Clean(TableResult r) =>
        r.Repaired is { } repaired
            ? repaired.Failed == 0
            : r.Missing + r.Extra + r.Mismatched == 0 && (r.Mode != Mode.Count || r.RowCount == r.DocumentCount);

    private static JsonObject ToJson(TableResult r)
    {
        var o = new JsonObject
        {
            ["table"] = r.Table,
            ["index"] = r.Index,
            ["mode"] = ModeName(r.Mode),
            ["rowsChecked"] = r.RowsChecked,
            ["documentsChecked"] = r.DocumentsChecked,
            ["missing"] = r.Missing,
            ["extra"] = r.Extra,
            ["mismatched"] = r.Mismatched,
            ["differences"] = new JsonArray(r.Differences.Select(d =>
            {
                var difference = new JsonObject { ["key"] = d.Key, ["kind"] = KindName(d.Kind) };
                if (d.Kind == DifferenceKind.Mismatched)
                {
                    difference["fields"] = new JsonArray(d.Fields.Select(f => (JsonNode)new JsonObject
                    {
                        ["field"] = f.Field,
                        ["rowValue"] = f.RowValue,
                        ["documentValue"] = f.DocumentValue,
                    }).ToArray());
                }

                return (JsonNode)difference;
            }).ToArray()),
            ["error"] = r.Error.Length == 0 ? null : r.Error,
            ["startedAt"] = JsonOutput.Time(r.StartedAt),
            ["durationSeconds"] = r.Duration?.ToTimeSpan().TotalSeconds ?? 0,
        };
        if (r.Mode == Mode.Count)
        {
            o["rowCount"] = r.RowCount;
            o["documentCount"] = r.DocumentCount;
        }

        if (r.Repaired is { } c)
        {
            o["repaired"] = new JsonObject { ["indexed"] = c.Indexed, ["deleted"] = c.Deleted, ["superseded"] = c.Superseded, ["failed"] = c.Failed };
        }

        return o;
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Colored(long value) => value == 0 ? "0" : $"[red]{N(value)}[/]";

    /// <summary>Streams need no deadline: a full check of a large table takes as long as it takes.</summary>
    public static CallOptions Stream(CancellationToken cancellationToken) => ServiceConnection.Stream(cancellationToken);
}

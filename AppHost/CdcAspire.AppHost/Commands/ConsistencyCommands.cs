using System.Globalization;
using System.Text;
using Aspire.Hosting.ApplicationModel;
using CdcAspire.Consistency.V1;
using Grpc.Core;

namespace CdcAspire.AppHost.Commands;

/// <summary>Check, repair and per-table resync on the consistency service (<c>cdcaspire.consistency.v1</c>).</summary>
public static class ConsistencyCommands
{
    public const string Check = "check";
    public const string Repair = "repair";
    public const string ResyncPrefix = "resync-";

    public static IResourceBuilder<ProjectResource> WithConsistencyCommands(
        this IResourceBuilder<ProjectResource> consistency, IResourceBuilder<ParameterResource> apiToken, IEnumerable<string> tables)
    {
        consistency
            .WithGrpcCommand(Check, "Check", "Compare every captured table with its index, field by field (read-only).", apiToken,
                (channel, options) => RunCheckAsync(channel, new CheckRequest { Mode = Mode.Full }, options),
                icon: "CheckmarkCircle")
            .WithGrpcCommand(Repair, "Check and repair", "Full check of every table, then rewrite each difference from the row's current state.", apiToken,
                (channel, options) => RunCheckAsync(channel, new CheckRequest { Mode = Mode.Full, Repair = true }, options),
                confirmation: "Check every table and repair the differences?",
                icon: "Wrench");
        foreach (var table in tables)
        {
            consistency.WithGrpcCommand(ResyncPrefix + table, $"Resync {table}",
                $"Rebuild the index of {table} from a fresh snapshot behind its alias, then swap (no downtime).", apiToken,
                async (channel, options) =>
                {
                    using var call = new ConsistencyService.ConsistencyServiceClient(channel).Resync(new ResyncRequest { Table = table }, options);
                    ResyncProgress? last = null;
                    await foreach (var progress in call.ResponseStream.ReadAllAsync(options.CancellationToken))
                    {
                        last = progress;
                    }

                    return last is null ? $"Resync of {table} ended without progress."
                        : string.Create(CultureInfo.InvariantCulture,
                            $"Resync of {table}: {last.Stage}, {last.RowsDone} rows, alias {last.Alias} -> {last.NewIndex}. {last.Detail}").Trim();
                },
                confirmation: $"Rebuild the index of {table} now?",
                icon: "ArrowSync");
        }

        return consistency;
    }

    private static async Task<string> RunCheckAsync(Grpc.Net.Client.GrpcChannel channel, CheckRequest request, CallOptions options)
    {
        using var call = new ConsistencyService.ConsistencyServiceClient(channel).Check(request, options);
        var text = new StringBuilder();
        await foreach (var item in call.ResponseStream.ReadAllAsync(options.CancellationToken))
        {
            if (item.Result is { } r)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"{r.Table}: {r.Missing} missing, {r.Extra} extra, {r.Mismatched} mismatched of {r.RowsChecked} rows");
                if (r.Repaired is { } repaired)
                {
                    text.Append(CultureInfo.InvariantCulture, $"; repaired {repaired.Indexed} indexed, {repaired.Deleted} deleted, {repaired.Superseded} superseded, {repaired.Failed} failed");
                }

                text.Append(string.IsNullOrEmpty(r.Error) ? ". " : $" (incomplete: {r.Error}). ");
            }
        }

        return text.Length == 0 ? "No tables checked." : text.ToString().Trim();
    }
}

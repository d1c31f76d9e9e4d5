using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using CdcAspire.Dlq.V1;
using Grpc.Core;

namespace CdcAspire.AppHost.Commands;

/// <summary>Replay of every pending dead letter on the DLQ service (<c>cdcaspire.dlq.v1.DlqService.Replay</c>).</summary>
public static class DlqCommands
{
    public const string ReplayAll = "replay-all";

    public static IResourceBuilder<ProjectResource> WithDlqCommands(this IResourceBuilder<ProjectResource> dlq, IResourceBuilder<ParameterResource> apiToken) => dlq
        .WithGrpcCommand(ReplayAll, "Replay all", "Re-read every pending dead letter's row and write its current state (never stale).", apiToken,
            async (channel, options) =>
            {
                using var call = new DlqService.DlqServiceClient(channel).Replay(new ReplayRequest { Filter = new Filter { All = true } }, options);
                ReplaySummary? summary = null;
                await foreach (var progress in call.ResponseStream.ReadAllAsync(options.CancellationToken))
                {
                    summary = progress.Summary ?? summary;
                }

                return summary is null
                    ? "Replay finished without a summary."
                    : string.Create(CultureInfo.InvariantCulture,
                        $"Replayed: {summary.Indexed} indexed, {summary.Deleted} deleted, {summary.Superseded} superseded, {summary.Failed} failed, {summary.Skipped} skipped, {summary.Archived} archived.");
            },
            confirmation: "Replay every pending dead letter now?",
            icon: "ArrowRepeatAll");
}

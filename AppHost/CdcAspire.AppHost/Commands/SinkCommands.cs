using Aspire.Hosting.ApplicationModel;
using CdcAspire.Sink.V1;

namespace CdcAspire.AppHost.Commands;

/// <summary>Pause and resume on the sink (<c>cdcaspire.sink.v1.SinkService</c>), as <c>cdc pause|resume</c> do.</summary>
public static class SinkCommands
{
    public const string Pause = "pause";
    public const string Resume = "resume";

    public static IResourceBuilder<ProjectResource> WithSinkCommands(this IResourceBuilder<ProjectResource> sink, IResourceBuilder<ParameterResource> apiToken) => sink
        .WithGrpcCommand(Pause, "Pause", "Stop indexing and acknowledging; the source keeps its position, nothing is lost.", apiToken,
            async (channel, options) =>
            {
                var reply = await new SinkService.SinkServiceClient(channel).PauseAsync(new PauseRequest { Reason = "paused from the Aspire dashboard" }, options);
                return reply.Changed ? "Paused." : "Already paused.";
            },
            icon: "Pause")
        .WithGrpcCommand(Resume, "Resume", "Resume from the last acknowledged position.", apiToken,
            async (channel, options) =>
            {
                var reply = await new SinkService.SinkServiceClient(channel).ResumeAsync(new ResumeRequest(), options);
                return reply.Changed ? "Resumed." : "Was not paused.";
            },
            icon: "Play");
}

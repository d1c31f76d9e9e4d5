using Aspire.Hosting.ApplicationModel;
using CdcAspire.AppHost.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CdcAspire.AppHost.Commands;

/// <summary>
/// A dashboard command that calls a service's gRPC API on its <c>grpc</c> endpoint with the API token, and turns
/// the answer (or the gRPC status) into the command's result.
/// </summary>
public static class GrpcCommand
{
    /// <summary>Long enough for a full check or a resync of a laptop-sized table; the dashboard shows it running.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(30);

    public static IResourceBuilder<ProjectResource> WithGrpcCommand(
        this IResourceBuilder<ProjectResource> project, string name, string displayName, string description,
        IResourceBuilder<ParameterResource> apiToken, Func<GrpcChannel, CallOptions, Task<string>> call,
        string? confirmation = null, string? icon = null)
    {
        var endpoint = project.GetEndpoint(Services.ServiceBuilderExtensions.GrpcEndpointName);
        return project.WithCommand(name, displayName, async context =>
        {
            var logger = context.Services.GetRequiredService<ResourceLoggerService>().GetLogger(project.Resource);
            try
            {
                var address = await endpoint.GetValueAsync(context.CancellationToken)
                    ?? throw new InvalidOperationException($"{project.Resource.Name} has no gRPC address yet.");
                using var channel = GrpcChannel.ForAddress(address);
                var headers = new Metadata { { "authorization", "Bearer " + await apiToken.Resource.GetValueAsync(context.CancellationToken) } };
                var options = new CallOptions(headers, DateTime.UtcNow.Add(Deadline), context.CancellationToken);
                var result = await call(channel, options);
                Log.CommandDone(logger, displayName, project.Resource.Name, result);
                return CommandResults.Success(result);
            }
            catch (RpcException ex)
            {
                var reason = Describe(ex, project.Resource.Name);
                Log.CommandFailed(logger, displayName, project.Resource.Name, reason);
                return CommandResults.Failure(reason);
            }
        }, new CommandOptions
        {
            Description = description,
            ConfirmationMessage = confirmation,
            IconName = icon,
            // Only a healthy service can answer; before that the button is greyed out.
            UpdateState = state => state.ResourceSnapshot.HealthStatus == HealthStatus.Healthy
                ? ResourceCommandState.Enabled
                : ResourceCommandState.Disabled,
        });
    }

    /// <summary>The gRPC status in words; the services' messages never contain secrets (they are written that way).</summary>
    public static string Describe(RpcException ex, string service) => ex.StatusCode switch
    {
        StatusCode.Unimplemented => $"The {service} service does not implement this call (UNIMPLEMENTED).",
        StatusCode.Unauthenticated => $"The {service} service refused the API token (UNAUTHENTICATED): is Cdc__Api__Token the api-token parameter?",
        StatusCode.Unavailable => $"The {service} service is unreachable (UNAVAILABLE): {ex.Status.Detail}",
        _ => $"{ex.StatusCode}: {ex.Status.Detail}",
    };
}

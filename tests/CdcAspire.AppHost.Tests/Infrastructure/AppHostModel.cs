using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CdcAspire.AppHost.Tests.Infrastructure;

/// <summary>Builds the AppHost's model (nothing started) and reads what each resource would receive.</summary>
public static class AppHostModel
{
    /// <summary>Fixed secret values so no test writes generated ones to the AppHost's user secrets.</summary>
    public static readonly string[] Secrets =
    [
        "Parameters:api-token=TestApiToken0000000000001",
        "Parameters:postgres-password=TestPgPassword00000000001",
        "Parameters:replication-password=TestReplPassword000000001",
        "Parameters:elastic-password=TestElasticPassword000001",
        "Parameters:kibana-password=TestKibanaPassword0000001",
    ];

    /// <summary>
    /// The AppHost's model, built by the same <c>AddCdcAspire</c> its Program.cs calls, on a testing builder that is
    /// never run. (Going through the AppHost's entry point lets Program.cs call Run() on the built app after the
    /// test disposed it, which starts DCP and waits for a container runtime.)
    /// </summary>
    public static async Task<DistributedApplicationModel> BuildAsync(CancellationToken cancellationToken, params string[] args)
    {
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            Args = [.. Secrets, .. args],
            ProjectDirectory = AppHostDirectory,
            AssemblyName = typeof(AppHostSettings).Assembly.GetName().Name,
            DisableDashboard = true,
        });
        builder.AddCdcAspire();
        var app = builder.Build();
        await using (app)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return app.Services.GetRequiredService<DistributedApplicationModel>();
        }
    }

    public static string AppHostDirectory => Path.Combine(CdcAspire.Testing.Repository.Root, "AppHost", "CdcAspire.AppHost");

    public static T Get<T>(this DistributedApplicationModel model, string name)
        where T : IResource =>
        model.Resources.OfType<T>().SingleOrDefault(r => r.Name == name)
        ?? throw new InvalidOperationException($"No {typeof(T).Name} named {name}; resources: {string.Join(", ", model.Resources.Select(r => r.Name))}");

    /// <summary>
    /// The environment a resource gets (the non-obsolete way, ENVIRONMENT.md). In the publish context values are the
    /// manifest's expressions (<c>{elastic-password.value}</c>): a secret shows up as a reference, never a value.
    /// The run context resolves what needs no allocated port (e.g. container-to-container addresses).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> EnvironmentAsync(
        IResource resource, CancellationToken cancellationToken, DistributedApplicationOperation operation = DistributedApplicationOperation.Publish)
    {
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(new DistributedApplicationExecutionContext(operation), NullLogger.Instance, cancellationToken);
        return configuration.EnvironmentVariables.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
    }

    public static async Task<IReadOnlyList<string>> ArgumentsAsync(IResource resource, CancellationToken cancellationToken)
    {
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithArgumentsConfig()
            .BuildAsync(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish), NullLogger.Instance, cancellationToken);
        return configuration.Arguments.Select(a => a.Value).ToList();
    }

    /// <summary>Names of the resources <paramref name="resource"/> waits for.</summary>
    public static IReadOnlyList<string> WaitsFor(IResource resource) =>
        resource.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).Order(StringComparer.Ordinal).ToList();
}

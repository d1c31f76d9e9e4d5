using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CdcAspire.ServiceDefaults.Hosting;

/// <summary>
/// Runs a service so that a wrong or missing setting ends it with the message and exit code 1, not an unhandled
/// exception, SIGABRT and a stack trace: the message already names the key and the fix, the trace only hides it.
/// </summary>
public static class ServiceRunner
{
    /// <summary>Exit code of a service stopped by its configuration.</summary>
    public const int ConfigurationError = 1;

    public static async Task<int> RunServiceAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Read before running: once the host has failed, its services (the environment among them) are disposed.
        var name = app.Environment.ApplicationName;
        try
        {
            // What the host would do first when starting (ValidateOnStart, then building the hosted services, whose
            // factories parse connection strings), done here so that a setting's error is not first logged by the
            // host as "Hosting failed to start" with a stack trace. The instances are singletons the host reuses.
            app.Services.GetService<IStartupValidator>()?.Validate();
            _ = app.Services.GetServices<IHostedService>().ToList();
            await app.RunAsync();
            return 0;
        }
        catch (Exception e) when (ConfigurationMessage(e) is { } message)
        {
            await Console.Error.WriteLineAsync($"{name}: {message}");
            return ConfigurationError;
        }
    }

    /// <summary>
    /// A setting's error is an <see cref="OptionsValidationException"/> (ValidateOnStart, or thrown by a factory that
    /// parses a connection string), possibly wrapped by the host or DI. Anything else is a fault and keeps its trace.
    /// </summary>
    internal static string? ConfigurationMessage(Exception? e) => e switch
    {
        null => null,
        OptionsValidationException v => string.Join(Environment.NewLine, v.Failures),
        _ => ConfigurationMessage(e.InnerException),
    };
}

using System.Diagnostics;
using System.Text.Json;
using CdcAspire.Testing;

namespace CdcAspire.AppHost.Tests.Model;

/// <summary>
/// The deployment manifest, published the way README's "Deploying" says
/// (<c>dotnet run --project AppHost/CdcAspire.AppHost -- --publisher manifest --output-path ...</c>).
/// </summary>
public sealed class ManifestTests
{
    private const string SecretMarker = "NeverInTheManifest";

    [Fact]
    public async Task TheManifestHoldsEveryResourceAndParametersButNoSecretValue()
    {
        var ct = TestContext.Current.CancellationToken;
        var output = Path.Combine(Directory.CreateTempSubdirectory("cdc-manifest-").FullName, "aspire-manifest.json");
        var start = new ProcessStartInfo("dotnet", ["run", "--no-build", "--project", Path.Combine(Repository.Root, "AppHost", "CdcAspire.AppHost"),
            "--", "--publisher", "manifest", "--output-path", output])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Values the publisher could leak if it resolved parameters: none may appear in the file.
        foreach (var name in new[] { "api-token", "postgres-password", "replication-password", "elastic-password", "kibana-password" })
        {
            start.Environment[$"Parameters__{name}"] = SecretMarker + name.Replace("-", "", StringComparison.Ordinal);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, await stdout + await stderr);

        var text = await File.ReadAllTextAsync(output, ct);
        Assert.DoesNotContain(SecretMarker, text, StringComparison.Ordinal);
        using var manifest = JsonDocument.Parse(text);
        var resources = manifest.RootElement.GetProperty("resources");
        foreach (var name in new[] { "postgres", "appdb", "elasticsearch", "kibana", "sink", "dlq", "consistency", "metrics" })
        {
            Assert.True(resources.TryGetProperty(name, out _), name);
        }

        foreach (var name in new[] { "api-token", "postgres-password", "replication-password", "elastic-password", "kibana-password" })
        {
            var parameter = resources.GetProperty(name);
            Assert.Equal("parameter.v0", parameter.GetProperty("type").GetString());
            Assert.True(parameter.GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean(), name);
        }

        var sink = resources.GetProperty("sink").GetProperty("env");
        Assert.Equal("{api-token.value}", sink.GetProperty("Cdc__Api__Token").GetString());
        Assert.Equal("{elasticsearch.connectionString}", sink.GetProperty("ConnectionStrings__elasticsearch").GetString());
        Assert.Equal("http2", resources.GetProperty("sink").GetProperty("bindings").GetProperty("grpc").GetProperty("transport").GetString());
        // Container files cannot travel in the manifest: the init folder is a bind mount there.
        var mount = resources.GetProperty("postgres").GetProperty("bindMounts")[0];
        Assert.Equal("/docker-entrypoint-initdb.d", mount.GetProperty("target").GetString());
        // A development-machine path never reaches a deployment.
        Assert.DoesNotContain("Cdc__IndexTemplatesPath", text, StringComparison.Ordinal);
    }
}

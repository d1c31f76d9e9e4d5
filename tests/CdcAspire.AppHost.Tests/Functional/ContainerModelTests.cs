using System.Diagnostics;

namespace CdcAspire.AppHost.Tests.Functional;

/// <summary>
/// The whole container model started. Needs a healthy container runtime; without one the AppHost never finishes
/// starting (ENVIRONMENT.md), so the test is skipped with the reason.
/// </summary>
public sealed class ContainerModelTests
{
    [Fact]
    public async Task TheContainerModelStartsWhereDockerRuns()
    {
        var reason = await DockerUnavailableReasonAsync(TestContext.Current.CancellationToken);
        if (reason is not null)
        {
            TestContext.Current.SendDiagnosticMessage("Skipped: " + reason);
            Assert.Skip(reason);
        }

        // Not written yet: with Docker, start CdcAspire_AppHost (containers, direct), wait for the four services
        // healthy, insert into appdb and find the document through elasticsearch. Failing here keeps that honest.
        Assert.Fail("A container runtime is available but the container functional test is not written yet (see .notes/apphost.md).");
    }

    private static async Task<string?> DockerUnavailableReasonAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("docker", ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(20));
            await process.WaitForExitAsync(timeout.Token);
            return process.ExitCode == 0 ? null : "no healthy container runtime (docker info: " + (await error).Trim().Split('\n')[0] + ")";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "no docker client on PATH";
        }
    }
}

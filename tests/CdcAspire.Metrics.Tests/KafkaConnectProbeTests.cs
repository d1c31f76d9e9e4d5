using CdcAspire.Metrics.Tests.Infrastructure;
using CdcAspire.Metrics.V1;

namespace CdcAspire.Metrics.Tests;

/// <summary>
/// The Kafka Connect probe against the worker's REST API (the double reproduces the documented status shape): a FAILED
/// task or connector turns the connector's component down with the trace and the fix, shows in
/// cdc_connector_failed_tasks / cdc_connector_status, and raises CdcConnectorFailed in a real Prometheus; a restart
/// clears it.
/// </summary>
public sealed class KafkaConnectProbeTests(ConnectFixture fixture) : IClassFixture<ConnectFixture>
{
    private const string Component = "kafka-connect:" + ConnectFixture.Connector;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task AFailedTaskTurnsTheConnectorDownRaisesCdcConnectorFailedAndARestartClearsIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await ComponentAsync(Status.Ok, ct);
        Assert.DoesNotContain(await fixture.Prometheus.AlertsAsync(ct), a => a.Name == "CdcConnectorFailed");

        fixture.Connect.TaskStates[ConnectFixture.Connector] = ["RUNNING", "FAILED"];
        try
        {
            var report = await ComponentAsync(Status.Down, ct);
            var component = Assert.Single(report.Components, c => c.Name == Component);
            Assert.StartsWith("1 of 2 tasks FAILED: org.apache.kafka.connect.errors.ConnectException", component.Reason, StringComparison.Ordinal);
            Assert.Contains("cdc connector restart " + ConnectFixture.Connector, component.Fix, StringComparison.Ordinal);
            var state = Assert.Single(report.Metrics.Connectors);
            Assert.Equal((ConnectFixture.Connector, "RUNNING", 1, 2), (state.Name, state.State, state.FailedTasks, state.Tasks));
            Assert.Equal(Status.Down, report.Status);

            await FiringAsync(ct);
            var failed = Assert.Single(await fixture.Prometheus.QueryAsync($"cdc_connector_failed_tasks{{connector=\"{ConnectFixture.Connector}\"}}", ct));
            Assert.Equal(1, failed.Value);
        }
        finally
        {
            fixture.Connect.TaskStates[ConnectFixture.Connector] = ["RUNNING", "RUNNING"];
        }

        await ComponentAsync(Status.Ok, ct);
        await ClearedAsync(ct);
    }

    [Fact]
    public async Task AFailedConnectorIsDownWithItsTraceAndShowsAsStateFailed()
    {
        var ct = TestContext.Current.CancellationToken;
        fixture.Connect.ConnectorStates[ConnectFixture.Connector] = "FAILED";
        try
        {
            var report = await ComponentAsync(Status.Down, ct);
            var component = Assert.Single(report.Components, c => c.Name == Component);
            Assert.Equal("connector FAILED: org.apache.kafka.connect.errors.ConnectException: connector failed to start", component.Reason);
            await FiringAsync(ct);
            var state = Assert.Single(await fixture.Prometheus.QueryAsync($"cdc_connector_status{{connector=\"{ConnectFixture.Connector}\",state=\"FAILED\"}}", ct));
            Assert.Equal(1, state.Value);
        }
        finally
        {
            fixture.Connect.ConnectorStates.TryRemove(ConnectFixture.Connector, out _);
        }

        await ComponentAsync(Status.Ok, ct);
        await ClearedAsync(ct);
    }

    private async Task<HealthReport> ComponentAsync(Status expected, CancellationToken ct)
    {
        HealthReport? last = null;
        await Eventually.TrueAsync(async () =>
        {
            last = await fixture.Client.GetHealthAsync(new GetHealthRequest(), deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: ct);
            return last.Components.Any(c => c.Name == Component && c.Status == expected);
        }, Wait, () => $"{Component} {expected}; last report: {last}\n{fixture.Logs}", ct);
        return last!;
    }

    private async Task FiringAsync(CancellationToken ct)
    {
        IReadOnlyList<PrometheusServer.Alert> alerts = [];
        await Eventually.TrueAsync(async () =>
        {
            alerts = await fixture.Prometheus.AlertsAsync(ct);
            return alerts.Any(a => a.Name == "CdcConnectorFailed" && a.State == "firing" && a.Labels["connector"] == ConnectFixture.Connector);
        }, Wait, () => $"CdcConnectorFailed firing; alerts now: {string.Join(", ", alerts.Select(a => a.Name + "/" + a.State))}\n{fixture.Logs}", ct);
    }

    private async Task ClearedAsync(CancellationToken ct)
    {
        IReadOnlyList<PrometheusServer.Alert> alerts = [];
        await Eventually.TrueAsync(async () =>
        {
            alerts = await fixture.Prometheus.AlertsAsync(ct);
            return !alerts.Any(a => a.Name == "CdcConnectorFailed");
        }, Wait, () => $"CdcConnectorFailed cleared; still: {string.Join(", ", alerts.Select(a => a.Name + "/" + a.State))}\n{fixture.Logs}", ct);
    }
}

using CdcAspire.Metrics.V1;

namespace CdcAspire.Metrics.Health;

/// <summary>Builds <see cref="Component"/> entries: every status that is not ok carries a reason and a fix.</summary>
internal static class Components
{
    public static Component Ok(string name) => new() { Name = name, Status = Status.Ok };

    public static Component Degraded(string name, string reason, string fix) => New(name, Status.Degraded, reason, fix);

    public static Component Down(string name, string reason, string fix) => New(name, Status.Down, reason, fix);

    public static Component NotConfigured(string name, string how) =>
        New(name, Status.NotConfigured, "not configured", how);

    /// <summary>The worst status among the configured components (not-configured ones never count).</summary>
    public static Status Worst(IEnumerable<Component> components)
    {
        var worst = Status.Ok;
        foreach (var c in components)
        {
            if (c.Status is Status.Down)
            {
                return Status.Down;
            }

            if (c.Status is Status.Degraded)
            {
                worst = Status.Degraded;
            }
        }

        return worst;
    }

    private static Component New(string name, Status status, string reason, string fix) =>
        new() { Name = name, Status = status, Reason = reason, Fix = fix };
}

using Spectre.Console;

namespace CdcAspire.Cli.Rendering;

/// <summary>
/// A progress bar for a streamed operation (replay, check, resync) on an interactive terminal; with redirected
/// output or <c>--json</c> the work runs without it, so scripts read only the summary.
/// </summary>
public static class ProgressBar
{
    public static async Task RunAsync(string description, bool show, Func<Action<long, long, string?>, Task> work)
    {
        if (!show || !Terminal.IsInteractive)
        {
            await work((_, _, _) => { });
            return;
        }

        await Terminal.Console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(description), maxValue: 1);
                await work((done, total, label) =>
                {
                    task.MaxValue = Math.Max(1, Math.Max(total, done));
                    task.Value = done;
                    if (label is not null)
                    {
                        task.Description = Markup.Escape(label);
                    }
                });
            });
    }
}

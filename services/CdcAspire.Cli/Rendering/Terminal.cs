using Spectre.Console;

namespace CdcAspire.Cli.Rendering;

/// <summary>
/// The console the CLI writes to. When output is redirected (scripts, tests) tables get a fixed wide width and no
/// colour codes, so every column survives and the text can be parsed.
/// </summary>
public static class Terminal
{
    private static readonly Lazy<IAnsiConsole> Instance = new(Create);

    public static IAnsiConsole Console => Instance.Value;

    public static bool IsInteractive => !System.Console.IsOutputRedirected;

    private static IAnsiConsole Create()
    {
        if (IsInteractive)
        {
            return AnsiConsole.Console;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(System.Console.Out),
        });
        console.Profile.Width = 200;
        return console;
    }
}

using CdcAspire.Dlq.V1;
using V1 = CdcAspire.Dlq.V1;

namespace CdcAspire.Cli.Commands.Dlq;

/// <summary>The words the CLI prints (and <c>--json</c> carries) for the proto's enums.</summary>
internal static class DlqNames
{
    public static string State(State state) => state switch
    {
        V1.State.Pending => "pending",
        V1.State.Resolved => "resolved",
        V1.State.Discarded => "discarded",
        V1.State.Archived => "archived",
        _ => "unspecified",
    };

    public static string Outcome(Outcome outcome) => outcome switch
    {
        V1.Outcome.Indexed => "indexed",
        V1.Outcome.Deleted => "deleted",
        V1.Outcome.Superseded => "superseded",
        V1.Outcome.Failed => "failed",
        V1.Outcome.Skipped => "skipped",
        _ => "unspecified",
    };

    public static bool TryParseState(string text, out State state)
    {
        state = text.ToLowerInvariant() switch
        {
            "pending" => V1.State.Pending,
            "resolved" => V1.State.Resolved,
            "discarded" => V1.State.Discarded,
            "archived" => V1.State.Archived,
            _ => V1.State.Unspecified,
        };
        return state != V1.State.Unspecified;
    }
}

using System.Text.Json.Nodes;
using CdcAspire.Cli.Rendering;
using CdcAspire.Dlq.V1;

namespace CdcAspire.Cli.Commands.Dlq;

/// <summary>A dead letter as <c>--json</c> prints it (contract: at least id, table, documentId, errorType, state).</summary>
internal static class DeadLetterJson
{
    public static JsonObject From(DeadLetter d, bool details)
    {
        var o = new JsonObject
        {
            ["id"] = d.Id,
            ["createdAt"] = JsonOutput.Time(d.CreatedAt),
            ["source"] = d.Source,
            ["table"] = d.Table,
            ["index"] = d.Index,
            ["documentId"] = d.DocumentId,
            ["operation"] = d.Operation,
            ["position"] = d.Position,
            ["version"] = d.Version,
            ["errorType"] = d.ErrorType,
            ["errorReason"] = d.ErrorReason,
            ["state"] = DlqNames.State(d.State),
            ["attempts"] = d.Attempts,
            ["nextRetryAt"] = JsonOutput.Time(d.NextRetryAt),
        };
        if (details)
        {
            o["document"] = d.Document.Length == 0 ? null : d.Document;
            o["raw"] = d.Raw.IsEmpty ? null : d.Raw.ToBase64();
            o["history"] = new JsonArray(d.History.Select(h => (JsonNode)new JsonObject
            {
                ["at"] = JsonOutput.Time(h.At),
                ["action"] = h.Action,
                ["outcome"] = DlqNames.Outcome(h.Outcome),
                ["detail"] = h.Detail,
            }).ToArray());
        }

        return o;
    }
}

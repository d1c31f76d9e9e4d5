using System.Net;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.DeadLetters;
using CdcAspire.Pipeline.Elasticsearch;

namespace CdcAspire.Pipeline.Writing;

/// <summary>What a lane does after a whole <c>_bulk</c> request failed.</summary>
internal enum RequestFailureAction
{
    /// <summary>Transient (429, 5xx, 408, timeouts, dropped connections) or setup (401/403, a proxy's 404/405): wait and send again.</summary>
    RetryLater,

    /// <summary>A 400/413 for several actions: one of them spoiled the request; send them one by one to find it.</summary>
    SendOneByOne,

    /// <summary>A 400/413 for a single action: that action is a dead letter.</summary>
    DeadLetter,
}

/// <summary>Per table counts of one settled request, recorded once per request: per-item metric calls cost more than the item.</summary>
internal readonly record struct TableCounts(TableId Table, string Index, int Indexed, int Deleted, int Superseded);

/// <summary>The classified result of one <c>_bulk</c> response.</summary>
/// <param name="Retry">Actions to send again (429/5xx items), in their original order.</param>
/// <param name="DeadLetters">Actions Elasticsearch rejected.</param>
/// <param name="Tables">Applied, deleted and superseded counts per run of consecutive actions of one table.</param>
internal sealed record BatchOutcome(List<IndexAction> Retry, List<DeadLetter> DeadLetters, List<TableCounts> Tables);

/// <summary>
/// The pure part of the bulk writer: what each response item and each failed request means for its actions.
/// No I/O, no state, so every rule is tested directly.
/// </summary>
internal static class BulkOutcomeClassifier
{
    public static RequestFailureAction Classify(ElasticsearchException failure, int actions) =>
        failure.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge
            ? actions > 1 ? RequestFailureAction.SendOneByOne : RequestFailureAction.DeadLetter
            : RequestFailureAction.RetryLater;

    public static BatchOutcome Classify(DeadLetterSource source, IReadOnlyList<IndexAction> sent, IReadOnlyList<BulkItemOutcome> outcomes)
    {
        if (outcomes.Count != sent.Count)
        {
            throw new ArgumentException($"{outcomes.Count} outcomes for {sent.Count} actions.", nameof(outcomes));
        }

        var result = new BatchOutcome([], [], []);
        var run = -1;
        int indexed = 0, deleted = 0, superseded = 0;
        for (var i = 0; i < sent.Count; i++)
        {
            var action = sent[i];
            if (run < 0 || sent[run].Table != action.Table || sent[run].Index != action.Index)
            {
                Close();
                run = i;
            }

            switch (outcomes[i].Status)
            {
                case BulkItemStatus.Applied when action.Operation == WriteOperation.Index:
                    indexed++;
                    break;
                case BulkItemStatus.Applied:
                    deleted++;
                    break;
                case BulkItemStatus.Superseded:
                    superseded++;
                    break;
                case BulkItemStatus.Retry:
                    result.Retry.Add(action);
                    break;
                default:
                    result.DeadLetters.Add(DeadLetter.Rejected(source, action, outcomes[i].ErrorType ?? $"http_{outcomes[i].HttpStatus}",
                        $"Elasticsearch rejected the document ({outcomes[i].HttpStatus}): {outcomes[i].ErrorReason}. " +
                        "Fix the index template or the data, then replay the dead letter."));
                    break;
            }
        }

        Close();
        return result;

        void Close()
        {
            if (run >= 0 && indexed + deleted + superseded > 0)
            {
                result.Tables.Add(new TableCounts(sent[run].Table, sent[run].Index, indexed, deleted, superseded));
            }

            (indexed, deleted, superseded) = (0, 0, 0);
        }
    }
}

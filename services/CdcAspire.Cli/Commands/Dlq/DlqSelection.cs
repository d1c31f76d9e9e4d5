using System.CommandLine;
using CdcAspire.Dlq.V1;

namespace CdcAspire.Cli.Commands.Dlq;

/// <summary>
/// Which dead letters a command applies to: ids, <c>--table</c>, <c>--reason</c> (the error type, as
/// <c>cdc dlq stats</c> groups them), <c>--reason-contains</c> (text in the error), <c>--all</c>. Filters combine with
/// AND. For replay and discard one of them is required, so nothing is changed by accident.
/// </summary>
internal sealed class DlqSelection
{
    public Argument<long[]> Ids { get; } = new("id") { Description = "Dead-letter ids.", Arity = ArgumentArity.ZeroOrMore };

    public Option<string?> Table { get; } = new("--table") { Description = "Schema-qualified source table, e.g. public.products." };

    public Option<string?> Reason { get; } = new("--reason") { Description = "Error type, e.g. mapper_parsing_exception (see 'cdc dlq stats')." };

    public Option<string?> ReasonContains { get; } = new("--reason-contains") { Description = "Text in the error reason (case-insensitive)." };

    public Option<bool> All { get; } = new("--all") { Description = "Every dead letter (pending ones for replay and discard)." };

    public void AddTo(Command command, bool ids)
    {
        if (ids)
        {
            command.Arguments.Add(Ids);
            command.Options.Add(All);
        }

        command.Options.Add(Table);
        command.Options.Add(Reason);
        command.Options.Add(ReasonContains);
    }

    public Filter Read(ParseResult parse, bool required)
    {
        var filter = new Filter
        {
            Table = parse.GetValue(Table) ?? string.Empty,
            ErrorType = parse.GetValue(Reason) ?? string.Empty,
            ReasonContains = parse.GetValue(ReasonContains) ?? string.Empty,
            All = parse.GetValue(All),
        };
        filter.Ids.Add(parse.GetValue(Ids) ?? []);
        if (required && !filter.All && filter.Ids.Count == 0 && filter.Table.Length == 0 && filter.ErrorType.Length == 0 && filter.ReasonContains.Length == 0)
        {
            throw new UsageException("Say which dead letters: one or more ids, --table, --reason, --reason-contains, or --all.");
        }

        return filter;
    }
}

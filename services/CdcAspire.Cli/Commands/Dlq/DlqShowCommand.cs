using System.CommandLine;
using System.Globalization;
using CdcAspire.Cli.Rendering;
using CdcAspire.Dlq.V1;
using Spectre.Console;

namespace CdcAspire.Cli.Commands.Dlq;

/// <summary><c>cdc dlq show ID [--json]</c>: one dead letter with its document, error, position and history.</summary>
public static class DlqShowCommand
{
    public static Command Create()
    {
        var id = new Argument<long>("id") { Description = "Dead-letter id (see 'cdc dlq list')." };
        var json = CliOptions.Json();
        var command = new Command("show", "Show one dead letter: the document or raw bytes, the error as given, the source position and its history.");
        command.Arguments.Add(id);
        command.Options.Add(json);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, DlqCommand.Service, async (connection, ct) =>
        {
            var d = await new DlqService.DlqServiceClient(connection.Channel).GetAsync(new GetRequest { Id = parse.GetValue(id) }, connection.Call(ct));
            if (parse.GetValue(json))
            {
                JsonOutput.Write(DeadLetterJson.From(d, details: true));
                return;
            }

            var grid = new Grid().AddColumn().AddColumn();
            void Row(string name, string value) => grid.AddRow(new Text(name), new Text(value));
            Row("id", d.Id.ToString(CultureInfo.InvariantCulture));
            Row("state", DlqNames.State(d.State));
            Row("created", d.CreatedAt?.ToDateTimeOffset().ToString("O", CultureInfo.InvariantCulture) ?? "-");
            Row("source", d.Source);
            Row("table", d.Table);
            Row("index", d.Index);
            Row("document id", d.DocumentId);
            Row("operation", d.Operation);
            Row("position", d.Position);
            Row("version", d.Version.ToString(CultureInfo.InvariantCulture));
            Row("error type", d.ErrorType);
            Row("error", d.ErrorReason);
            Row("attempts", d.Attempts.ToString(CultureInfo.InvariantCulture));
            if (d.NextRetryAt is not null)
            {
                Row("next retry", d.NextRetryAt.ToDateTimeOffset().ToString("O", CultureInfo.InvariantCulture));
            }

            Terminal.Console.Write(grid);
            if (d.Document.Length > 0)
            {
                Terminal.Console.WriteLine("document:");
                Terminal.Console.WriteLine(d.Document);
            }

            if (!d.Raw.IsEmpty)
            {
                Terminal.Console.WriteLine($"raw ({d.Raw.Length} bytes, base64):");
                Terminal.Console.WriteLine(d.Raw.ToBase64());
            }

            if (d.History.Count > 0)
            {
                var history = new Table().Border(TableBorder.Rounded).AddColumns("At", "Action", "Outcome", "Detail");
                foreach (var h in d.History)
                {
                    history.AddRow(Markup.Escape(h.At?.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-"),
                        Markup.Escape(h.Action), Markup.Escape(DlqNames.Outcome(h.Outcome)), Markup.Escape(h.Detail));
                }

                Terminal.Console.Write(history);
            }
        }, cancellationToken));
        return command;
    }
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CdcAspire.Cli.Connect;
using CdcAspire.Cli.Rendering;
using CdcAspire.KafkaConnect;
using Spectre.Console;

namespace CdcAspire.Cli.Commands;

/// <summary>
/// <c>cdc connector apply &lt;file&gt;</c>: validate the connector against the worker, then create or update it with
/// <c>PUT /connectors/{name}/config</c>. An unchanged config is not written again (Connect would restart the
/// connector for nothing). Values are printed only through <see cref="ConfigRedactor"/>.
/// </summary>
public static class ConnectorApplyCommand
{
    public static Command Create(Option<string?> connect)
    {
        var file = new Argument<FileInfo>("file") { Description = "Connector definition: {\"name\": ..., \"config\": {...}}, e.g. connectors/postgres-source.json." };
        var command = new Command("apply", "Validate a connector definition against the worker, then create or update it (idempotent). Prints created, updated or unchanged.");
        command.Arguments.Add(file);
        command.SetAction((parse, cancellationToken) => ConnectCommandRunner.RunAsync(parse, connect, async (worker, ct) =>
        {
            var definition = await LoadAsync(parse.GetRequiredValue(file), ct);
            worker.Secrets.Add(definition.Config);
            var current = await worker.TryGetConfigAsync(definition.Name, ct);
            if (current is not null && Changes(current, definition.Config).Count == 0)
            {
                var validation = await worker.Client.ValidateAsync(definition, ct);
                if (!validation.IsValid)
                {
                    return await ReportInvalidAsync(definition, validation, worker.Secrets);
                }

                Terminal.Console.WriteLine($"Connector '{definition.Name}' unchanged: the worker already has this config; nothing was written.");
                return ExitCodes.Ok;
            }

            ApplyOutcome outcome;
            try
            {
                outcome = await worker.Client.ApplyAsync(definition, ct);
            }
            catch (KafkaConnectException ex) when (ex.Validation is { } validation)
            {
                return await ReportInvalidAsync(definition, validation, worker.Secrets);
            }

            if (outcome == ApplyOutcome.Created)
            {
                Terminal.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Connector '{definition.Name}' created ({definition.ConnectorClass}, {definition.Config.Count} settings)."));
                return ExitCodes.Ok;
            }

            if (current is null)
            {
                Terminal.Console.WriteLine($"Connector '{definition.Name}' updated (its previous config could not be read to list the changes).");
                return ExitCodes.Ok;
            }

            var changes = Changes(current, definition.Config);
            Terminal.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Connector '{definition.Name}' updated ({changes.Count} {(changes.Count == 1 ? "setting" : "settings")} changed):"));
            foreach (var change in changes)
            {
                Terminal.Console.WriteLine("  " + change);
            }

            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static async Task<ConnectorDefinition> LoadAsync(FileInfo file, CancellationToken cancellationToken)
    {
        ConnectorDefinition definition;
        try
        {
            definition = await ConnectorDefinition.LoadAsync(file.FullName, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"Cannot read {file.FullName}: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            // JsonException's message quotes position, not content; FormatException's names keys, not values.
            throw new UsageException($"{file.FullName} is not a connector definition ({{\"name\", \"config\"}}): {ex.Message}", ex);
        }

        return definition.Config.ContainsKey("connector.class")
            ? definition
            : throw new UsageException($"{file.FullName}: connector '{definition.Name}' has no \"connector.class\" in its config.");
    }

    /// <summary>One line per field, on stderr; the worker's messages may quote a value, so they are scrubbed.</summary>
    private static async Task<int> ReportInvalidAsync(ConnectorDefinition definition, ConnectorValidation validation, SecretScrubber secrets)
    {
        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"cdc: connector '{definition.Name}' is invalid ({validation.ErrorCount} {(validation.ErrorCount == 1 ? "error" : "errors")}); nothing was changed:"));
        foreach (var (field, errors) in validation.Errors.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            await Console.Error.WriteLineAsync(secrets.Scrub($"  {field}: {string.Join(" / ", errors)}".ReplaceLineEndings(" ")));
        }

        return ExitCodes.RemoteError;
    }

    /// <summary>
    /// Added, removed and changed settings, values redacted. <c>name</c> is ignored: Connect adds it to the stored config.
    /// </summary>
    private static List<string> Changes(IReadOnlyDictionary<string, string> current, IReadOnlyDictionary<string, string> desired)
    {
        var changes = new List<string>();
        foreach (var key in current.Keys.Union(desired.Keys).Where(k => k != "name").Order(StringComparer.Ordinal))
        {
            var had = current.TryGetValue(key, out var before);
            var has = desired.TryGetValue(key, out var after);
            if (had && has && string.Equals(before, after, StringComparison.Ordinal))
            {
                continue;
            }

            changes.Add(!had ? $"+ {key}: {ConfigRedactor.Redact(key, after)}"
                : !has ? $"- {key}"
                : $"~ {key}: {ConfigRedactor.Redact(key, before)} -> {ConfigRedactor.Redact(key, after)}");
        }

        return changes;
    }
}

using System.CommandLine;
using Grpc.Core;
using Grpc.Net.Client;

namespace CdcAspire.Cli.Services;

/// <summary>
/// Opens a channel to a service for a parsed command: the address from the service's flag or the Aspire variables
/// (<see cref="ServiceAddress"/>), the API token (<c>--token</c>, else <c>CDC_API_TOKEN</c>) as a call credential
/// on commands that take one, and the deadline of <c>--timeout</c>.
/// </summary>
public static class ServiceChannels
{
    public static ServiceConnection For(string service, ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var address = ServiceAddress.Resolve(service, StringOption(parse, "--" + service));
        var token = StringOption(parse, CliOptions.TokenName) is { Length: > 0 } flag ? flag
            : HasOption(parse, CliOptions.TokenName) ? Environment.GetEnvironmentVariable(CliOptions.TokenVariable)
            : null;
        var timeout = parse.GetValue<TimeSpan>(CliOptions.TimeoutName);

        var secure = address.Scheme == Uri.UriSchemeHttps;
        var transport = secure ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure;
        var options = new GrpcChannelOptions
        {
            Credentials = string.IsNullOrEmpty(token) ? transport : ChannelCredentials.Create(transport, BearerToken(token)),
            // The token travels over cleartext only when the user pointed the CLI at an http:// address (a loopback
            // or a private network); over https it is encrypted like any other header.
            UnsafeUseInsecureChannelCallCredentials = !secure,
        };
        return new ServiceConnection(service, address, GrpcChannel.ForAddress(address, options), timeout);
    }

    private static CallCredentials BearerToken(string token) => CallCredentials.FromInterceptor((_, metadata) =>
    {
        metadata.Add("authorization", "Bearer " + token);
        return Task.CompletedTask;
    });

    private static string? StringOption(ParseResult parse, string name) =>
        HasOption(parse, name) ? parse.GetValue<string?>(name) : null;

    /// <summary>Whether the command (or a parent, for recursive options) declares the option.</summary>
    private static bool HasOption(ParseResult parse, string name)
    {
        for (var command = parse.CommandResult; command is not null; command = command.Parent as System.CommandLine.Parsing.CommandResult)
        {
            if (command.Command.Options.Any(o => o.Name == name && (command == parse.CommandResult || o.Recursive)))
            {
                return true;
            }
        }

        return false;
    }
}

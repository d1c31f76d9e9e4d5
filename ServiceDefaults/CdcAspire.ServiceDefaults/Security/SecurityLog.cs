using Microsoft.Extensions.Logging;

namespace CdcAspire.ServiceDefaults.Security;

internal static partial class SecurityLog
{
    [LoggerMessage(EventId = 9001, Level = LogLevel.Warning, Message = "Refused {Path}: {Reason}")]
    public static partial void Refused(ILogger logger, string path, string reason);
}

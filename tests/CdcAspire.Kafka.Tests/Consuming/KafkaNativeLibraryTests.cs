using CdcAspire.Pipeline.Kafka.Consuming;
using Confluent.Kafka;

namespace CdcAspire.Kafka.Tests.Consuming;

public sealed class KafkaNativeLibraryTests
{
    /// <summary>
    /// The bundled librdkafka, not whatever the system has: a silent fallback to an older system library (Debian's
    /// 2.0.2) would load and then fail inside Consume, so the version is the proof.
    /// </summary>
    [Fact]
    public void TheBundledLibrdkafkaOfTheReferencedRedistIsTheOneLoaded()
    {
        KafkaNativeLibrary.EnsureLoaded();
        KafkaNativeLibrary.EnsureLoaded(); // once per process: a second call is a no-op, not a second resolver

        Assert.StartsWith("2.16", Library.VersionString, StringComparison.Ordinal);
        Assert.Equal(typeof(Library).Assembly.GetName().Version!.ToString(2), Library.VersionString[..4]);
    }
}

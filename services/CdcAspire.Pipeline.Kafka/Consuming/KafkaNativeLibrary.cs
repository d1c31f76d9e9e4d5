using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace CdcAspire.Pipeline.Kafka.Consuming;

/// <summary>
/// Makes Confluent.Kafka load the librdkafka that librdkafka.redist bundles, on every Linux. Call
/// <see cref="EnsureLoaded"/> before the first Kafka call of the process (the source's consumer builder does).
/// </summary>
/// <remarks>
/// Why: the redist's default <c>runtimes/linux-x64/native/librdkafka.so</c> links <c>libsasl2.so.3</c>, which Debian 12
/// (and others) lack, having only <c>libsasl2.so.2</c>. The default probe then fails quietly and goes on to a system
/// <c>librdkafka.so</c> if there is one (Debian's 2.0.2, whose missing symbols make <c>Consume</c> throw
/// EntryPointNotFoundException), or fails the first client build with DllNotFoundException. The redist also ships
/// <c>centos8-librdkafka.so</c>, which needs only libc; <c>Library.Load(path)</c> cannot reach it because it looks up
/// <c>libdl</c>, of which glibc only has <c>libdl.so.2</c>. So, on Linux, this resolver maps <c>librdkafka</c> to the
/// first bundled variant that loads (the default one first, so nothing changes where it works) and <c>libdl</c> to
/// <c>libdl.so.2</c>. Where no bundled variant exists or loads (another layout, another OS) it returns nothing and the
/// runtime's default probing applies unchanged, as it does on macOS and Windows.
/// </remarks>
public static class KafkaNativeLibrary
{
    private const string LibRdKafka = "librdkafka";
    private const string LibDl = "libdl";

    /// <summary>The redist's Linux variants, in the order tried: the full build, then the one that needs only libc.</summary>
    private static readonly string[] BundledVariants = ["librdkafka.so", "centos8-librdkafka.so"];

    private static readonly Lazy<bool> Installed = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Installs the resolver once per process; later calls do nothing. Safe from any thread.</summary>
    public static void EnsureLoaded() => _ = Installed.Value;

    private static bool Install()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        NativeLibrary.SetDllImportResolver(typeof(Library).Assembly, Resolve);
        return true;
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (string.Equals(libraryName, LibRdKafka, StringComparison.Ordinal))
        {
            foreach (var candidate in BundledCandidates())
            {
                if (NativeLibrary.TryLoad(candidate, out var handle))
                {
                    return handle;
                }
            }
        }
        else if (string.Equals(libraryName, LibDl, StringComparison.Ordinal) && NativeLibrary.TryLoad("libdl.so.2", out var libdl))
        {
            return libdl;
        }

        // Zero: the runtime's default probing, as without a resolver.
        return IntPtr.Zero;
    }

    /// <summary>
    /// Where the variants are: <c>runtimes/linux-{arch}/native/</c> under the application (a framework-dependent build or
    /// publish), or beside Confluent.Kafka.dll (a RID-specific publish flattens native assets next to it).
    /// </summary>
    private static IEnumerable<string> BundledCandidates()
    {
        var rid = "linux-" + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        var directories = new[]
        {
            Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native"),
            AppContext.BaseDirectory,
            Path.GetDirectoryName(typeof(Library).Assembly.Location) is { Length: > 0 } dir ? dir : null,
        };
        foreach (var variant in BundledVariants)
        {
            foreach (var directory in directories.OfType<string>().Distinct(StringComparer.Ordinal))
            {
                var path = Path.Combine(directory, variant);
                if (File.Exists(path))
                {
                    yield return path;
                }
            }
        }
    }
}

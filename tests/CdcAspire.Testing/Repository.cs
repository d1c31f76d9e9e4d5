namespace CdcAspire.Testing;

/// <summary>Where this repository and its build outputs are, seen from a test or benchmark's own output folder.</summary>
public static class Repository
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CdcAspire.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("CdcAspire.sln not found above " + AppContext.BaseDirectory);
    });

    /// <summary>The folder holding CdcAspire.sln.</summary>
    public static string Root => RootPath.Value;

    /// <summary>
    /// The built <paramref name="assembly"/> of the project folder <paramref name="project"/> (e.g. services/CdcAspire.Sink),
    /// in the configuration the caller was built in; fails with what to build when it is missing.
    /// </summary>
    public static string BuiltAssembly(string project, string assembly)
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(Root, project, "bin", configuration, "net10.0", assembly);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is not built: build {project} first.", path);
    }
}

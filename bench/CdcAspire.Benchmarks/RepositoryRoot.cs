namespace CdcAspire.Benchmarks;

internal static class RepositoryRoot
{
    /// <summary>The folder holding CdcAspire.sln above the build output.</summary>
    public static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CdcAspire.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("CdcAspire.sln not found above " + AppContext.BaseDirectory);
    }
}

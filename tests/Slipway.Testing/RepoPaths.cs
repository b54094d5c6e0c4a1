namespace Slipway.Testing;

/// <summary>Locations inside the repository, found by walking up from the test binaries to <c>Slipway.slnx</c>.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The directory containing <c>Slipway.slnx</c>.</summary>
    public static string Root => RootPath.Value;

    /// <summary>A path relative to the repository root.</summary>
    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary><c>testdata/</c>.</summary>
    public static string TestData => Combine("testdata");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Slipway.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Slipway.slnx found above {AppContext.BaseDirectory}.");
    }
}

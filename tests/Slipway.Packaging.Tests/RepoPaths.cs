namespace Slipway.Packaging.Tests;

/// <summary>Finds files that ship with the repository, by walking up to the folder holding Slipway.slnx.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Model(string fileName) => Path.Combine(Root, "testdata", "models", fileName);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Slipway.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Slipway.slnx not found above the test assembly.");
    }
}

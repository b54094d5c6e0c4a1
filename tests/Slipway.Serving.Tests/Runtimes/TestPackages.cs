using Slipway.Packaging;
using Slipway.Testing;

namespace Slipway.Serving.Tests.Runtimes;

/// <summary>Builds model packages from the repository's test models, as the registry stores them.</summary>
public static class TestPackages
{
    /// <summary>The test file <paramref name="relative"/> (path parts) under <c>testdata/models</c>.</summary>
    public static string Model(params string[] relative) => RepoPaths.Combine(["testdata", "models", .. relative]);

    /// <summary>Packages <paramref name="modelPath"/> into a fresh folder under <paramref name="temp"/> and returns the package directory.</summary>
    public static string Package(TempDirectory temp, string modelPath, IReadOnlyList<string>? columnNames = null, string? inputExamplePath = null)
    {
        var output = temp.Combine($"package-{Guid.NewGuid():N}");
        var package = ModelPackager.CreateAsync(
            modelPath, output, new PackageOptions(columnNames, inputExamplePath), TimeProvider.System, CancellationToken.None).GetAwaiter().GetResult();
        return package.Directory;
    }
}

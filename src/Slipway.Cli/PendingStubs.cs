#pragma warning disable
// Temporary stand-ins for contracts being written in parallel; removed when they land.
namespace Slipway.Packaging
{
    public sealed record PackageOptions(IReadOnlyList<string>? ColumnNames, string? InputExamplePath);
    public sealed record ModelPackage(string Directory, string Flavor, object Signature, IReadOnlyList<string> Files);
    public static class ModelPackager
    {
        public static Task<ModelPackage> CreateAsync(string sourcePath, string outputDirectory, PackageOptions options, TimeProvider time, CancellationToken ct) => throw new NotImplementedException();
    }
}


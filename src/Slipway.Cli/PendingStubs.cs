#pragma warning disable
// Temporary stand-ins for contracts being written in parallel; removed when they land.
namespace Slipway.Storage
{
    public sealed record EmbeddedStorage(Slipway.Core.Registry.IModelRegistryStore2 Metadata, Slipway.Core.Artifacts.IBlobStore Blobs) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    public static class StorageFactory
    {
        public static Task<EmbeddedStorage> OpenEmbeddedAsync(string directory, TimeProvider timeProvider, CancellationToken cancellationToken) => throw new NotImplementedException();
    }
}

namespace Slipway.Core.Registry
{
    public interface IModelRegistryStore2 : IModelRegistryStore, Slipway.Core.Artifacts.IArtifactIndex { }
}

namespace Slipway.Packaging
{
    public sealed record PackageOptions(IReadOnlyList<string>? ColumnNames, string? InputExamplePath);
    public sealed record ModelPackage(string Directory, string Flavor, object Signature, IReadOnlyList<string> Files);
    public static class ModelPackager
    {
        public static Task<ModelPackage> CreateAsync(string sourcePath, string outputDirectory, PackageOptions options, TimeProvider time, CancellationToken ct) => throw new NotImplementedException();
    }
}

namespace Slipway.Server
{
    public sealed class SlipwayServerOptions
    {
        public string Urls { get; set; } = "http://127.0.0.1:5000";
        public string? Store { get; set; }
        public string? Artifacts { get; set; }
        public string EmbeddedDirectory { get; set; } = ".slipway";
    }

    public static class SlipwayServerHost
    {
        public static Task RunAsync(SlipwayServerOptions options, CancellationToken ct) => throw new NotImplementedException();
    }
}

namespace Slipway.Cli.Quickstart.Training
{
    public sealed record TrainingResult(string OnnxPath, string MlnetPath, IReadOnlyDictionary<string, double> Metrics, IReadOnlyDictionary<string, string> Params, string InputExamplePath, IReadOnlyList<string> FeatureColumns);
    public static class AdultIncomeTrainer
    {
        public static Task<TrainingResult> TrainAsync(string dataPath, string outputDirectory, IProgress<string>? progress, CancellationToken ct) => throw new NotImplementedException();
    }
}

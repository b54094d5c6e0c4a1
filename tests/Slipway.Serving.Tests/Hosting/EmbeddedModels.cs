using System.Globalization;
using Slipway.Core.Registry;
using Slipway.Packaging;
using Slipway.Storage;
using Slipway.Testing;

namespace Slipway.Serving.Tests.Hosting;

/// <summary>A real embedded registry (SQLite + files) in a temporary directory, with helpers to register test models.</summary>
public sealed class EmbeddedModels : IAsyncDisposable
{
    private readonly EmbeddedStorage stores;

    private EmbeddedModels(TempDirectory directory, EmbeddedStorage stores, ModelRegistryService registry)
    {
        Directory = directory;
        this.stores = stores;
        Registry = registry;
    }

    public TempDirectory Directory { get; }

    public ModelRegistryService Registry { get; }

    /// <summary>A folder for the host's download cache.</summary>
    public string CacheDirectory => Directory.Combine("cache");

    public static async Task<EmbeddedModels> OpenAsync()
    {
        var directory = new TempDirectory("slipway-host");
        var stores = await StorageFactory.OpenEmbeddedAsync(directory.Combine("registry"), TimeProvider.System, CancellationToken.None);
        var registry = new ModelRegistryService(stores.Metadata, stores.Metadata, stores.Blobs, TimeProvider.System, () => "tester", runs: stores.Metadata);
        return new EmbeddedModels(directory, stores, registry);
    }

    /// <summary>The test model file <paramref name="relative"/> under <c>testdata/models</c>.</summary>
    public static string Model(string relative) => RepoPaths.Combine("testdata", "models", relative);

    /// <summary>Packages and registers a model file (with an optional input example file), returning its version number.</summary>
    public async Task<long> RegisterAsync(string name, string modelFile, string? inputExampleJson = null)
    {
        string? examplePath = null;
        if (inputExampleJson is not null)
        {
            examplePath = Directory.Combine($"example-{Guid.NewGuid():N}.json");
            await File.WriteAllTextAsync(examplePath, inputExampleJson);
        }

        var package = Directory.Combine($"package-{Guid.NewGuid():N}");
        await ModelPackager.CreateAsync(modelFile, package, new PackageOptions(null, examplePath), TimeProvider.System, CancellationToken.None);
        return await RegisterDirectoryAsync(name, package);
    }

    /// <summary>Registers an MLflow model directory as it is (e.g. one made broken on purpose).</summary>
    public async Task<long> RegisterDirectoryAsync(string name, string packageDirectory)
    {
        try
        {
            await Registry.CreateRegisteredModelAsync(name, null, null, CancellationToken.None);
        }
        catch (RegistryException e) when (e.Code == RegistryErrorCode.ResourceAlreadyExists)
        {
        }

        var version = await Registry.CreateModelVersionAsync(
            new NewModelVersion(name, packageDirectory, string.Empty, string.Empty, string.Empty, "tester", new Dictionary<string, string>()),
            CancellationToken.None);
        Assert.Equal(ModelVersionStatus.Ready, version.Status);
        return version.Version;
    }

    /// <summary>A package of <paramref name="modelFile"/> whose model file is then overwritten with bytes that are no model.</summary>
    public async Task<string> BrokenPackageAsync(string modelFile)
    {
        var package = Directory.Combine($"package-{Guid.NewGuid():N}");
        await ModelPackager.CreateAsync(modelFile, package, new PackageOptions(), TimeProvider.System, CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(package, "model.onnx"), "this is not an ONNX graph");
        return package;
    }

    public Task SetAliasAsync(string name, string alias, long version) =>
        Registry.SetAliasAsync(name, alias, version, "test", CancellationToken.None);

    public static string Text(long version) => version.ToString(CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        await stores.DisposeAsync();
        Directory.Dispose();
    }
}

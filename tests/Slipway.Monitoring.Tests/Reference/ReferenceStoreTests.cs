using Slipway.Core.Registry;
using Slipway.Core.Statistics.Drift;
using Slipway.Monitoring.Reference;
using Slipway.Packaging;
using Slipway.Storage;
using Slipway.Testing;

namespace Slipway.Monitoring.Tests.Reference;

public sealed class ReferenceStoreTests
{
    private static readonly string[] IrisColumns = ["sepal_length", "sepal_width", "petal_length", "petal_width"];

    [Fact]
    public async Task Attach_stores_the_data_with_the_version_and_a_replacement_keeps_the_old_one()
    {
        using var work = new TempDirectory();
        var time = new SteppingTime(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero));
        var stores = await StorageFactory.OpenEmbeddedAsync(work.Combine("registry"), time, CancellationToken.None);
        await using var _ = stores;
        var registry = new ModelRegistryService(stores.Metadata, stores.Metadata, stores.Blobs, time, () => "tester", runs: stores.Metadata);
        await RegisterIrisAsync(registry, work, time);

        Assert.Null(await ReferenceStore.LoadDataAsync(registry, "iris", 1, CancellationToken.None));
        Assert.Null(await new RegistryReferenceSource(registry).GetAsync("iris", "1", CancellationToken.None));

        var first = work.Combine("first.csv");
        File.WriteAllLines(first, ["label,petal_width,petal_length,sepal_width,sepal_length", "0,0.2,1.4,3.5,5.1", "2,2.3,5.2,3.0,6.7", "1,1.3,4.0,2.8,5.9"]);
        var store = new ReferenceStore(time);
        var stored = await store.AttachAsync(registry, "iris", 1, first, CancellationToken.None);

        Assert.Equal("model-references/iris/1/20240501T120000000Z/reference.parquet", stored.DataPath);
        Assert.Equal(IrisColumns, stored.Columns);
        Assert.Equal(3, stored.Rows);
        Assert.Null(stored.ReplacedDataPath);
        var version = await registry.GetModelVersionAsync("iris", 1, CancellationToken.None);
        Assert.Equal(stored.DataPath, version.Tags[ReferenceStore.DataTag]);
        Assert.Equal("3", version.Tags[ReferenceStore.RowsTag]);
        Assert.Equal("first.csv", version.Tags[ReferenceStore.SourceTag]);

        var data = await ReferenceStore.LoadDataAsync(registry, "iris", 1, CancellationToken.None);
        Assert.NotNull(data);
        Assert.Equal(IrisColumns, data.Select(c => c.Name));
        Assert.All(data, c => Assert.Equal(FeatureKind.Numeric, c.Kind));
        Assert.Equal([5.1, 6.7, 5.9], data[0].Numbers!);
        var profile = await ReferenceStore.LoadProfileAsync(registry, "iris", 1, CancellationToken.None);
        Assert.Equal(3, profile!.Rows);
        Assert.Equal(IrisColumns, profile.Features.Select(f => f.Name));

        time.Advance(TimeSpan.FromMinutes(1));
        var second = work.Combine("second.csv");
        File.WriteAllLines(second, ["sepal_length,sepal_width,petal_length,petal_width", "5.0,3.0,1.0,0.1"]);
        var replaced = await store.AttachAsync(registry, "iris", 1, second, CancellationToken.None);

        Assert.Equal(stored.DataPath, replaced.ReplacedDataPath);
        version = await registry.GetModelVersionAsync("iris", 1, CancellationToken.None);
        Assert.Equal(replaced.DataPath, version.Tags[ReferenceStore.DataTag]);
        Assert.Equal(stored.DataPath, version.Tags[ReferenceStore.ReplacedTag]);
        Assert.Equal("1", version.Tags[ReferenceStore.RowsTag]);
        await using (var old = await registry.OpenArtifactAsync(stored.DataPath, CancellationToken.None))
        {
            Assert.True(old.ReadByte() >= 0);
        }

        Assert.Equal(1, (await ReferenceStore.LoadDataAsync(registry, "iris", 1, CancellationToken.None))![0].Length);
    }

    [Fact]
    public async Task A_file_missing_a_signature_column_is_refused_and_stores_nothing()
    {
        using var work = new TempDirectory();
        var time = new SteppingTime(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero));
        var stores = await StorageFactory.OpenEmbeddedAsync(work.Combine("registry"), time, CancellationToken.None);
        await using var _ = stores;
        var registry = new ModelRegistryService(stores.Metadata, stores.Metadata, stores.Blobs, time, () => "tester", runs: stores.Metadata);
        await RegisterIrisAsync(registry, work, time);
        var bad = work.Combine("bad.csv");
        File.WriteAllLines(bad, ["sepal_length,sepal_width,petal_length", "5.0,3.0,1.0"]);

        var error = await Assert.ThrowsAsync<ReferenceDataException>(() => new ReferenceStore(time).AttachAsync(registry, "iris", 1, bad, CancellationToken.None));

        Assert.Contains("no column 'petal_width'", error.Message, StringComparison.Ordinal);
        Assert.False((await registry.GetModelVersionAsync("iris", 1, CancellationToken.None)).Tags.ContainsKey(ReferenceStore.DataTag));
        await Assert.ThrowsAsync<RegistryException>(() => ReferenceStore.LoadDataAsync(registry, "iris", 9, CancellationToken.None));
    }

    private static async Task RegisterIrisAsync(ModelRegistryService registry, TempDirectory work, TimeProvider time)
    {
        var package = await ModelPackager.CreateAsync(
            RepoPaths.Combine("testdata", "models", "iris_logreg.onnx"), work.Combine("package"), new PackageOptions(IrisColumns), time, CancellationToken.None);
        foreach (var file in Directory.EnumerateFiles(package.Directory, "*", SearchOption.AllDirectories))
        {
            await using var stream = File.OpenRead(file);
            await registry.UploadArtifactAsync("_uploads/iris/" + Path.GetRelativePath(package.Directory, file).Replace('\\', '/'), stream, CancellationToken.None);
        }

        await registry.CreateRegisteredModelAsync("iris", null, null, CancellationToken.None);
        var version = await registry.CreateModelVersionAsync(
            new NewModelVersion("iris", "mlflow-artifacts:/_uploads/iris", string.Empty, string.Empty, string.Empty, "tester", new Dictionary<string, string>()),
            CancellationToken.None);
        Assert.Equal(ModelVersionStatus.Ready, version.Status);
    }

    private sealed class SteppingTime(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}

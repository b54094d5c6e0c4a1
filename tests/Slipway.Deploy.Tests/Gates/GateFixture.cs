using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Slipway.Core.Registry;
using Slipway.Core.Signatures;
using Slipway.Core.Tracking;
using Slipway.Monitoring.Inference;
using Slipway.Packaging;
using Slipway.Serving;
using Slipway.Serving.Runtimes;
using Slipway.Serving.Tensors;
using Slipway.Storage;
using Slipway.Testing;

namespace Slipway.Deploy.Tests.Gates;

/// <summary>
/// A real embedded registry and tracking service in a temporary folder, real ONNX models from <c>testdata/models</c>
/// registered as versions (optionally with their MLmodel signature rewritten), and a real inference log written by the
/// inference monitor.
/// </summary>
internal sealed class GateFixture : IAsyncDisposable
{
    public static readonly string[] IrisColumns = ["sepal_length", "sepal_width", "petal_length", "petal_width"];

    /// <summary>"Now" for every test: registry timestamps, log windows.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private readonly EmbeddedStorage _stores;
    private readonly HashSet<string> _models = new(StringComparer.Ordinal);

    private GateFixture(TempDirectory work, FakeTimeProvider time, EmbeddedStorage stores)
    {
        Work = work;
        Time = time;
        _stores = stores;
        Registry = new ModelRegistryService(stores.Metadata, stores.Metadata, stores.Blobs, time, () => "tester", runs: stores.Metadata);
        Tracker = new TrackingService(stores.Metadata, Registry, time, () => "tester");
    }

    public TempDirectory Work { get; }

    public FakeTimeProvider Time { get; }

    public ModelRegistryService Registry { get; }

    public TrackingService Tracker { get; }

    public string Monitoring => Work.Combine("monitoring");

    public static async Task<GateFixture> CreateAsync()
    {
        var work = new TempDirectory("slipway-gates");
        var time = new FakeTimeProvider(Now);
        var stores = await StorageFactory.OpenEmbeddedAsync(work.Combine("registry"), time, CancellationToken.None);
        return new GateFixture(work, time, stores);
    }

    /// <summary>A 2-D iris row set: three rows of the iris data.</summary>
    public static float[][] IrisRows(int count = 3)
    {
        float[][] rows = [[5.1f, 3.5f, 1.4f, 0.2f], [6.7f, 3.0f, 5.2f, 2.3f], [5.9f, 2.8f, 4.0f, 1.3f]];
        return Enumerable.Range(0, count).Select(i => rows[i % rows.Length]).ToArray();
    }

    /// <summary>
    /// Registers <paramref name="modelFile"/> (under testdata/models) as a new version of <paramref name="model"/>.
    /// </summary>
    /// <param name="model">The registered model (created on first use).</param>
    /// <param name="modelFile">The ONNX file.</param>
    /// <param name="columns">Column names for a column-based signature; null for the graph's tensor signature.</param>
    /// <param name="exampleCsv">An input example as CSV text, or null for none.</param>
    /// <param name="signature">Rewrites the packaged MLmodel's signature (e.g. to declare another type), or null.</param>
    /// <param name="tags">Version tags set at creation (e.g. slipway.metric.auc).</param>
    /// <param name="runId">The producing run, or empty.</param>
    /// <param name="edit">Changes the package folder before upload (e.g. corrupt the model file), or null.</param>
    public async Task<ModelVersion> RegisterAsync(
        string model,
        string modelFile = "iris_logreg.onnx",
        string[]? columns = null,
        string? exampleCsv = null,
        Func<ModelSignature, ModelSignature>? signature = null,
        IReadOnlyDictionary<string, string>? tags = null,
        string runId = "",
        Action<string>? edit = null)
    {
        var id = Guid.NewGuid().ToString("N");
        string? examplePath = null;
        if (exampleCsv is not null)
        {
            examplePath = Work.Combine(id + "-example.csv");
            await File.WriteAllTextAsync(examplePath, exampleCsv);
        }

        var packageDirectory = Work.Combine("packages", id);
        await ModelPackager.CreateAsync(RepoPaths.Combine("testdata", "models", modelFile), packageDirectory, new PackageOptions(columns, examplePath), Time, CancellationToken.None);
        if (signature is not null)
        {
            var file = await MlModelFile.ReadAsync(packageDirectory, CancellationToken.None);
            await (file with { Signature = signature(file.Signature!) }).WriteAsync(packageDirectory, CancellationToken.None);
        }

        edit?.Invoke(packageDirectory);
        foreach (var path in Directory.EnumerateFiles(packageDirectory, "*", SearchOption.AllDirectories))
        {
            await using var stream = File.OpenRead(path);
            await Registry.UploadArtifactAsync($"_uploads/{id}/" + Path.GetRelativePath(packageDirectory, path).Replace('\\', '/'), stream, CancellationToken.None);
        }

        if (_models.Add(model))
        {
            await Registry.CreateRegisteredModelAsync(model, null, null, CancellationToken.None);
        }

        var version = await Registry.CreateModelVersionAsync(
            new NewModelVersion(model, $"mlflow-artifacts:/_uploads/{id}", runId, string.Empty, string.Empty, "tester", tags ?? new Dictionary<string, string>()),
            CancellationToken.None);
        Assert.Equal(ModelVersionStatus.Ready, version.Status);
        return version;
    }

    /// <summary>A run of a fresh experiment that logged <paramref name="metrics"/>.</summary>
    public async Task<string> RunWithMetricsAsync(params (string Key, double Value)[] metrics)
    {
        var experiment = await Tracker.CreateExperimentAsync("exp-" + Guid.NewGuid().ToString("N"), null, null, CancellationToken.None);
        var run = await Tracker.CreateRunAsync(experiment, null, null, null, CancellationToken.None);
        foreach (var (key, value) in metrics)
        {
            await Tracker.LogMetricAsync(run.Info.RunId, new Metric(key, value, Time.GetUtcNow().ToUnixTimeMilliseconds(), 0), CancellationToken.None);
        }

        return run.Info.RunId;
    }

    /// <summary>Loads a registered version's runtime, as serving does.</summary>
    public async Task<IModelRuntime> LoadAsync(ModelVersion version)
    {
        var directory = await new Serving.Hosting.ModelPackageCache(Work.Combine("cache")).GetAsync(Registry, version, CancellationToken.None);
        return await ModelRuntimes.LoadAsync(directory, version.Name, version.Version.ToString(CultureInfo.InvariantCulture), new RuntimeOptions(), CancellationToken.None);
    }

    /// <summary>
    /// Serves <paramref name="rows"/> with the real model of <paramref name="version"/> (a column per iris feature, or
    /// one [-1, 4] tensor) and logs each row as one request answered <paramref name="ago"/> before now.
    /// </summary>
    public async Task LogIrisTrafficAsync(ModelVersion version, IReadOnlyList<float[]> rows, TimeSpan ago)
    {
        using var runtime = await LoadAsync(version);
        var contract = runtime.Contract;
        var records = new List<InferenceRecord>();
        for (var i = 0; i < rows.Count; i++)
        {
            Tensor[] inputs = contract.IsTabular
                ? contract.Inputs.Select((input, c) => new Tensor(input.Name, TensorType.Float32, [1], new[] { rows[i][c] })).ToArray()
                : [new Tensor(contract.Inputs[0].Name, TensorType.Float32, [1, 4], rows[i].ToArray())];
            var request = new InferenceRequest(inputs, 1);
            var outputs = runtime.Run(request);
            records.Add(new InferenceRecord(contract, "champion", $"r{i}", "mlflow", Time.GetUtcNow() - ago, 0.001, inputs, outputs, 1));
        }

        await LogAsync(records);
    }

    /// <summary>Writes <paramref name="records"/> to the inference log with the real monitor, flushed to completed files.</summary>
    public async Task LogAsync(IEnumerable<InferenceRecord> records)
    {
        var monitor = new InferenceMonitor(new InferenceMonitorOptions { Directory = Monitoring, TimeProvider = Time });
        await using (monitor)
        {
            foreach (var record in records)
            {
                Assert.True(monitor.TryRecord(record));
            }

            await monitor.FlushAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stores.DisposeAsync();
        Work.Dispose();
    }
}

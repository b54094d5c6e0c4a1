using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;
using Slipway.Core.Registry;
using Slipway.Packaging;
using Slipway.Serving;
using Slipway.Serving.Hosting;
using Slipway.Serving.Protocols.Mlflow;
using Slipway.Serving.Protocols.V2;
using Slipway.Serving.Runtimes;
using Slipway.Serving.Tensors;
using Slipway.Storage;

namespace Slipway.Bench;

/// <summary>
/// What Slipway adds to one prediction, in process: one row of the 10-feature diabetes model scored by the minimal
/// ONNX Runtime code (a session with Slipway's settings, one <see cref="OrtValue"/> over a preallocated row, Run, read
/// the output) against Slipway's request paths over the same model file: the runtime alone on a bound request; the MLflow
/// path (parse and bind a <c>dataframe_split</c> body, lease the live version from a <see cref="ModelHost"/> over an
/// embedded registry, score through its batcher, write <c>{"predictions": ...}</c> into a reused buffer); and the same
/// for an Open Inference Protocol V2 JSON body. HTTP itself is measured by bench/scripts/serving.sh.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 20)]
public class ServingOverheadBenchmarks
{
    private const string Model = "diabetes";
    private static readonly float[] Row =
        [0.0380759f, 0.0506801f, 0.0616962f, 0.0218724f, -0.0442235f, -0.0348208f, -0.0434008f, -0.0025923f, 0.0199075f, -0.0176461f];

    private readonly ArrayBufferWriter<byte> _response = new(4096);
    private string _root = string.Empty;
    private EmbeddedStorage? _storage;
    private ModelHost? _host;
    private ServedModel? _served;
    private IModelRuntime? _runtime;
    private InferenceRequest? _bound;
    private byte[] _mlflowBody = [];
    private byte[] _v2Body = [];

    private InferenceSession? _session;
    private RunOptions? _runOptions;
    private OrtValue? _rawInput;
    private string[] _rawInputNames = [];
    private string[] _rawOutputNames = [];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var modelFile = Path.Combine(FindRepositoryRoot(), "testdata", "models", "diabetes_rf_regressor.onnx");
        _root = Path.Combine(Path.GetTempPath(), "bench-serving-" + Guid.NewGuid().ToString("N"));

        // The raw floor: ONNX Runtime with the session settings Slipway uses (one intra-op thread, no spinning).
        using (var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        })
        {
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
            options.AddSessionConfigEntry("session.inter_op.allow_spinning", "0");
            _session = new InferenceSession(modelFile, options);
        }

        _runOptions = new RunOptions();
        _rawInput = OrtValue.CreateTensorValueFromMemory(Row.ToArray(), [1, 10]);
        _rawInputNames = [_session.InputNames[0]];
        _rawOutputNames = [_session.OutputNames[0]];

        // Slipway: the model packaged and registered as `slipway models register` does, served by a model host.
        var package = Path.Combine(_root, "package");
        await ModelPackager.CreateAsync(modelFile, package, new PackageOptions(), TimeProvider.System, CancellationToken.None);
        _storage = await StorageFactory.OpenEmbeddedAsync(Path.Combine(_root, "registry"), TimeProvider.System, CancellationToken.None);
        var registry = new ModelRegistryService(_storage.Metadata, _storage.Metadata, _storage.Blobs, TimeProvider.System, () => "bench");
        await registry.CreateRegisteredModelAsync(Model, null, null, CancellationToken.None);
        var version = await registry.CreateModelVersionAsync(
            new NewModelVersion(Model, package, string.Empty, string.Empty, string.Empty, "bench", new Dictionary<string, string>()),
            CancellationToken.None);
        await registry.SetAliasAsync(Model, "champion", version.Version, "bench", CancellationToken.None);
        var hostOptions = new ModelHostOptions { CacheDirectory = Path.Combine(_root, "cache"), PollInterval = TimeSpan.Zero };
        hostOptions.Models.Add(new ServedModelOptions(ModelUri.Parse($"models:/{Model}@champion")));
        _host = new ModelHost(registry, hostOptions);
        await _host.StartAsync(CancellationToken.None);
        await _host.WaitUntilReadyAsync(CancellationToken.None);
        _served = _host.Find(Model)!;

        _runtime = ModelRuntimes.Load(package, Model, "1", new RuntimeOptions());
        _bound = new InferenceRequest([new Tensor(_runtime.Contract.Inputs[0].Name, TensorType.Float32, [1, 10], Row.ToArray())], 1);

        var values = string.Join(',', Row.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        _mlflowBody = Encoding.UTF8.GetBytes(
            $$$"""{"dataframe_split":{"columns":["age","sex","bmi","bp","s1","s2","s3","s4","s5","s6"],"data":[[{{{values}}}]]}}""");
        _v2Body = Encoding.UTF8.GetBytes(
            $$$"""{"inputs":[{"name":"{{{_runtime.Contract.Inputs[0].Name}}}","datatype":"FP32","shape":[1,10],"data":[{{{values}}}]}]}""");
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _rawInput?.Dispose();
        _runOptions?.Dispose();
        _session?.Dispose();
        _runtime?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_storage is not null)
        {
            await _storage.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "raw ONNX Runtime: OrtValue in, Run, read the output")]
    public float RawOnnxRuntime()
    {
        using var outputs = _session!.Run(_runOptions!, _rawInputNames, [_rawInput!], _rawOutputNames);
        return outputs[0].GetTensorDataAsSpan<float>()[0];
    }

    [Benchmark(Description = "Slipway runtime: Run on a bound request")]
    public int SlipwayRuntime() => _runtime!.Run(_bound!).Count;

    [Benchmark(Description = "MLflow path: parse dataframe_split, lease + batcher, write predictions")]
    public async Task<int> MlflowPathAsync()
    {
        using var lease = _served!.Acquire();
        var request = MlflowRequestReader.Parse(_mlflowBody, MlflowRequestReader.JsonContentType, lease.Contract).Request;
        var result = await lease.RunAsync(request, CancellationToken.None);
        _response.ResetWrittenCount();
        MlflowResponseWriter.Write(_response, result);
        return _response.WrittenCount;
    }

    [Benchmark(Description = "V2 path: read JSON infer request, lease + batcher, write response")]
    public async Task<int> V2PathAsync()
    {
        using var lease = _served!.Acquire();
        var request = V2RequestReader.Read(_v2Body, MlflowRequestReader.JsonContentType, null, lease.Contract);
        var result = await lease.RunAsync(request.Request, CancellationToken.None);
        _response.ResetWrittenCount();
        V2ResponseWriter.Write(_response, result, request.Id, request.Outputs);
        return _response.WrittenCount;
    }

    private static string FindRepositoryRoot()
    {
        // BenchmarkDotNet runs the benchmarks from a generated project below the bench's output folder.
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (Directory.Exists(Path.Combine(directory.FullName, "testdata", "models")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("testdata/models not found above " + AppContext.BaseDirectory);
    }
}

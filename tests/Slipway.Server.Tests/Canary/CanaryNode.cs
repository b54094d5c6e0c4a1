using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Slipway.Core.Deployment;
using Slipway.Core.Registry;
using Slipway.Deploy.Canary;
using Slipway.Deploy.Promotion;
using Slipway.Packaging;
using Slipway.Serving.Hosting;
using Slipway.Serving.Runtimes;
using Slipway.Server.Serving;
using Slipway.Storage;
using Slipway.Testing;

namespace Slipway.Server.Tests.Canary;

/// <summary>
/// Serving nodes on Kestrel (ports chosen by the OS) over one real embedded registry and its deployment store, with the
/// real <see cref="DeploymentService"/>: splits are started through the store and concluded by the nodes' controllers.
/// </summary>
public sealed class CanaryNode : IAsyncDisposable
{
    public const string Name = "iris";
    public const string Alias = "champion";

    public static readonly string[] Columns = ["sepal_length", "sepal_width", "petal_length", "petal_width"];

    /// <summary>Columns today's callers do not send: a version with them rejects every request with 400.</summary>
    public static readonly string[] OtherColumns = ["a", "b", "c", "d"];

    /// <summary>An MLflow request of two iris rows (the body every test sends unless it says otherwise).</summary>
    public const string TwoRows = """{"dataframe_split": {"columns": ["sepal_length", "sepal_width", "petal_length", "petal_width"], "data": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}}""";

    /// <summary>The same two rows as a V2 request.</summary>
    public const string TwoRowsV2 = """{"inputs": [{"name": "sepal_length", "datatype": "FP32", "shape": [2], "data": [5.1, 6.7]}, {"name": "sepal_width", "datatype": "FP32", "shape": [2], "data": [3.5, 3.0]}, {"name": "petal_length", "datatype": "FP32", "shape": [2], "data": [1.4, 5.2]}, {"name": "petal_width", "datatype": "FP32", "shape": [2], "data": [0.2, 2.3]}]}""";

    private readonly TempDirectory directory;
    private readonly EmbeddedStorage stores;
    private readonly List<WebApplication> apps = [];
    private readonly List<HttpClient> clients = [];
    private int loads;

    private CanaryNode(TempDirectory directory, EmbeddedStorage stores, ModelRegistryService registry)
    {
        this.directory = directory;
        this.stores = stores;
        Registry = registry;
        Deployments = new DeploymentService(registry, stores.Metadata, null, null, TimeProvider.System, () => "tester");
    }

    public ModelRegistryService Registry { get; }

    public IDeploymentStore Store => stores.Metadata;

    public DeploymentService Deployments { get; }

    /// <summary>The first started node's client.</summary>
    public HttpClient Http => clients[0];

    /// <summary>The first started node's application.</summary>
    public WebApplication App => apps[0];

    /// <summary>Every started node's application, in start order.</summary>
    public IReadOnlyList<WebApplication> Apps => apps;

    /// <summary>How many times any node loaded a model runtime (downloads, loads and validations).</summary>
    public int Loads => Volatile.Read(ref loads);

    public static async Task<CanaryNode> OpenAsync()
    {
        var directory = new TempDirectory("slipway-canary");
        var stores = await StorageFactory.OpenEmbeddedAsync(directory.Combine("registry"), TimeProvider.System, CancellationToken.None);
        var registry = new ModelRegistryService(stores.Metadata, stores.Metadata, stores.Blobs, TimeProvider.System, () => "tester", runs: stores.Metadata);
        return new CanaryNode(directory, stores, registry);
    }

    public static string Model(string file) => RepoPaths.Combine("testdata", "models", file);

    /// <summary>Registers an iris model file under <see cref="Name"/> with <paramref name="columns"/> (default <see cref="Columns"/>).</summary>
    public Task<long> RegisterAsync(string modelFile, IReadOnlyList<string>? columns = null, string? exampleJson = null) =>
        RegisterAsync(modelFile, columns, exampleJson, broken: false);

    /// <summary>Registers a package whose model file is then overwritten with bytes that are no model: it never loads.</summary>
    public Task<long> RegisterBrokenAsync() => RegisterAsync("iris_logreg.onnx", null, null, broken: true);

    private async Task<long> RegisterAsync(string modelFile, IReadOnlyList<string>? columns, string? exampleJson, bool broken)
    {
        string? example = null;
        if (exampleJson is not null)
        {
            example = directory.Combine($"example-{Guid.NewGuid():N}.json");
            await File.WriteAllTextAsync(example, exampleJson);
        }

        var package = directory.Combine($"package-{Guid.NewGuid():N}");
        await ModelPackager.CreateAsync(Model(modelFile), package, new PackageOptions(columns ?? Columns, example), TimeProvider.System, CancellationToken.None);
        if (broken)
        {
            await File.WriteAllTextAsync(Path.Combine(package, "model.onnx"), "this is not an ONNX graph");
        }
        try
        {
            await Registry.CreateRegisteredModelAsync(Name, null, null, CancellationToken.None);
        }
        catch (RegistryException e) when (e.Code == RegistryErrorCode.ResourceAlreadyExists)
        {
        }

        var version = await Registry.CreateModelVersionAsync(
            new NewModelVersion(Name, package, string.Empty, string.Empty, string.Empty, "tester", new Dictionary<string, string>()), CancellationToken.None);
        return version.Version;
    }

    /// <summary>Points the alias at <paramref name="version"/> (no policy protects it in these tests).</summary>
    public Task SetStableAsync(long version) => Registry.SetAliasAsync(Name, Alias, version, null, CancellationToken.None);

    /// <summary>Starts a split as a promotion would (the record, the split and its event in one transaction); returns the promotion id.</summary>
    public async Task<long> StartSplitAsync(long stable, long? canary, double weight, long? shadow = null, double shadowShare = 0, string stickyKey = "", CanaryPolicy? policy = null)
    {
        var record = new PromotionRecord(
            0, Name, Alias, PromotionKind.Promote, stable, canary ?? shadow!.Value, null, PromotionOutcome.CanaryStarted, [], [], "tester", "test split",
            TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds());
        var state = new DeploymentState(
            Name, Alias, canary, weight, stickyKey, shadow, shadowShare, policy ?? new CanaryPolicy(AutoPromote: false, AutoRollback: false),
            record.CreatedAt, 0);
        var stored = await Store.RecordPromotionAsync(record, new PromotionEffects(MoveAlias: false, StartSplit: state), CancellationToken.None);
        return stored.Id;
    }

    /// <summary>Starts a serving node for <c>models:/iris@champion</c> with the deployment service and waits until it is ready.</summary>
    /// <param name="canary">The controller's options; default: it never ticks on its own (tests call TickAsync).</param>
    /// <param name="pollInterval">How often the node reads the alias and its split; default 20 ms.</param>
    public async Task<HttpClient> StartAsync(CanaryControllerOptions? canary = null, TimeSpan? pollInterval = null)
    {
        var options = new ModelHostOptions { CacheDirectory = directory.Combine("cache"), PollInterval = pollInterval ?? TimeSpan.FromMilliseconds(20) };
        options.Models.Add(new ServedModelOptions(ModelUri.Parse($"models:/{Name}@{Alias}")));
        options.Loader = (path, name, version, runtime) =>
        {
            Interlocked.Increment(ref loads);
            return ModelRuntimes.Load(path, name, version, runtime);
        };

        canary ??= new CanaryControllerOptions { Interval = TimeSpan.FromHours(1) };
        var app = await ServingServer.StartAsync(
            "http://127.0.0.1:0", Registry, options, null, Deployments, canary, CancellationToken.None);
        apps.Add(app);
        var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        clients.Add(http);
        await HostOf(app).WaitUntilReadyAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        return http;
    }

    public static ModelHost HostOf(WebApplication app) => (ModelHost)app.Services.GetService(typeof(ModelHost))!;

    public static CanaryController ControllerOf(WebApplication app) => (CanaryController)app.Services.GetService(typeof(CanaryController))!;

    public ServedModel Served => HostOf(App).Find(Name)!;

    /// <summary>Waits (up to 30 s) until <paramref name="condition"/> holds.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "timed out waiting until " + what);
            await Task.Delay(10);
        }
    }

    public static Task<HttpResponseMessage> PostAsync(HttpClient http, string path, string body, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return http.SendAsync(request);
    }

    /// <summary>The <c>X-Slipway-Variant</c> header of a response.</summary>
    public static string Variant(HttpResponseMessage response) =>
        response.Headers.TryGetValues(ServingEndpoints.VariantHeader, out var values) ? values.Single() : "(none)";

    /// <summary>Sends <paramref name="count"/> MLflow requests from 8 clients; returns how many each variant answered, and every status.</summary>
    public static async Task<(int Stable, int Canary, Dictionary<HttpStatusCode, int> Statuses)> ScoreManyAsync(HttpClient http, int count, string body = TwoRows)
    {
        var stable = 0;
        var canary = 0;
        var statuses = new Dictionary<HttpStatusCode, int>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < count)
            {
                using var response = await PostAsync(http, "/invocations", body);
                if (Variant(response) == "canary")
                {
                    Interlocked.Increment(ref canary);
                }
                else
                {
                    Assert.Equal("stable", Variant(response));
                    Interlocked.Increment(ref stable);
                }

                lock (statuses)
                {
                    statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
                }
            }
        })));
        return (stable, canary, statuses);
    }

    public static string V(long version) => version.ToString(CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        foreach (var client in clients)
        {
            client.Dispose();
        }

        foreach (var app in apps)
        {
            await app.DisposeAsync();
        }

        await stores.DisposeAsync();
        directory.Dispose();
    }
}

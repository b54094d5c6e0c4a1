using System.Text;
using Microsoft.AspNetCore.Builder;
using Slipway.Core.Registry;
using Slipway.Packaging;
using Slipway.Serving.Hosting;
using Slipway.Server.Monitoring;
using Slipway.Server.Serving;
using Slipway.Storage;
using Slipway.Testing;

namespace Slipway.Server.Tests.Serving;

/// <summary>A real serving node on Kestrel (port chosen by the OS) over a real embedded registry holding the iris models.</summary>
public sealed class ServingNode : IAsyncDisposable
{
    private readonly TempDirectory directory;
    private readonly EmbeddedStorage stores;
    private WebApplication? app;

    private ServingNode(TempDirectory directory, EmbeddedStorage stores, ModelRegistryService registry)
    {
        this.directory = directory;
        this.stores = stores;
        Registry = registry;
    }

    public ModelRegistryService Registry { get; }

    public HttpClient Http { get; private set; } = null!;

    public WebApplication App => app!;

    /// <summary>Monitoring for the next start; null (the default) leaves it off.</summary>
    public ServingMonitoringOptions? Monitoring { get; set; }

    /// <summary>A directory of this node's (removed with it).</summary>
    public string Combine(params string[] parts) => directory.Combine(parts);

    public static async Task<ServingNode> OpenAsync()
    {
        var directory = new TempDirectory("slipway-serving");
        var stores = await StorageFactory.OpenEmbeddedAsync(directory.Combine("registry"), TimeProvider.System, CancellationToken.None);
        var registry = new ModelRegistryService(stores.Metadata, stores.Metadata, stores.Blobs, TimeProvider.System, () => "tester", runs: stores.Metadata);
        return new ServingNode(directory, stores, registry);
    }

    public static string Model(string file) => RepoPaths.Combine("testdata", "models", file);

    /// <summary>Registers a model file with column names (a table model) or without (a tensor model).</summary>
    public async Task<long> RegisterAsync(string name, string modelFile, IReadOnlyList<string>? columns = null, string? exampleJson = null)
    {
        string? example = null;
        if (exampleJson is not null)
        {
            example = directory.Combine($"example-{Guid.NewGuid():N}.json");
            await File.WriteAllTextAsync(example, exampleJson);
        }

        var package = directory.Combine($"package-{Guid.NewGuid():N}");
        await ModelPackager.CreateAsync(modelFile, package, new PackageOptions(columns, example), TimeProvider.System, CancellationToken.None);
        try
        {
            await Registry.CreateRegisteredModelAsync(name, null, null, CancellationToken.None);
        }
        catch (RegistryException e) when (e.Code == RegistryErrorCode.ResourceAlreadyExists)
        {
        }

        var version = await Registry.CreateModelVersionAsync(
            new NewModelVersion(name, package, string.Empty, string.Empty, string.Empty, "tester", new Dictionary<string, string>()), CancellationToken.None);
        return version.Version;
    }

    /// <summary>Starts serving <paramref name="models"/> and waits until all are loaded.</summary>
    public async Task StartAsync(Action<ModelHostOptions>? configure, params ServedModelOptions[] models)
    {
        await LaunchAsync(configure, models);
        await Host.WaitUntilReadyAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Starts serving <paramref name="models"/> without waiting for them to load.</summary>
    public async Task LaunchAsync(Action<ModelHostOptions>? configure, params ServedModelOptions[] models)
    {
        var options = new ModelHostOptions { CacheDirectory = directory.Combine("cache"), PollInterval = TimeSpan.FromMilliseconds(20) };
        foreach (var model in models)
        {
            options.Models.Add(model);
        }

        configure?.Invoke(options);
        app = await ServingServer.StartAsync("http://127.0.0.1:0", Registry, options, Monitoring, CancellationToken.None);
        Http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    }

    public ModelHost Host => (ModelHost)app!.Services.GetService(typeof(ModelHost))!;

    public Task<HttpResponseMessage> PostAsync(string path, string body, string? contentType = "application/json")
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return Http.PostAsync(path, content);
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        await stores.DisposeAsync();
        directory.Dispose();
    }
}

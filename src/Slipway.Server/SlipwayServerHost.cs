using Slipway.Core.Deployment;
using Slipway.Core.Registry;
using Slipway.Core.Tracking;
using Slipway.Mlflow;
using Slipway.Server.Artifacts;
using Slipway.Server.Health;
using Slipway.Server.Hosting;
using Slipway.Server.Http;
using Slipway.Server.Mlflow;
using Slipway.Server.Serving;
using Slipway.Server.SlipwayApi;
using Slipway.Server.Tracking;
using Slipway.Server.Webhooks;

namespace Slipway.Server;

/// <summary>
/// The Slipway server: MLflow's registry and tracking REST API (under <c>/api/2.0/mlflow/</c> and <c>/ajax-api/2.0/mlflow/</c>),
/// the artifact proxy, Slipway's own API and health endpoints, and (when asked) model scoring, on Kestrel.
/// </summary>
public static class SlipwayServerHost
{
    /// <summary>Largest JSON request body, in bytes (16 MiB); artifact uploads have no limit.</summary>
    public const long MaxJsonBodyBytes = 16L * 1024 * 1024;

    /// <summary>
    /// Opens the stores, starts listening, prints <c>Slipway listening on URL</c> for each bound address, and runs until
    /// <paramref name="cancellationToken"/> is cancelled; then stops gracefully and closes the stores.
    /// </summary>
    public static async Task RunAsync(SlipwayServerOptions options, CancellationToken cancellationToken)
    {
        var app = await StartAsync(options, cancellationToken).ConfigureAwait(false);
        await using (app.ConfigureAwait(false))
        {
            foreach (var url in app.Urls)
            {
                await Console.Out.WriteLineAsync($"Slipway listening on {url}").ConfigureAwait(false);
            }

            await Console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Cancellation is the normal way to stop the server.
            }

            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Opens the stores named by <paramref name="options"/> and returns the started application; its <c>Urls</c> hold
    /// the bound addresses (useful with port 0). Dispose it to stop the server and close the stores.
    /// </summary>
    public static async Task<WebApplication> StartAsync(SlipwayServerOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var resources = await RegistryResources.OpenAsync(options, TimeProvider.System, cancellationToken).ConfigureAwait(false);
        try
        {
            return await StartAsync(options, resources, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await resources.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts the server over opened stores; <paramref name="resources"/> are disposed with the application.</summary>
    private static async Task<WebApplication> StartAsync(SlipwayServerOptions options, RegistryResources resources, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxJsonBodyBytes;
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // Registered through a factory so the container disposes it when the application is disposed.
        builder.Services.AddSingleton(_ => new OwnedResource(resources));

        // The outbox (drift alerts) and the webhook dispatcher work on the metadata store this server opened.
        builder.Services.AddSingleton(resources.Outbox);
        WebhookServices.Add(builder.Services, resources.Webhooks, TimeProvider.System);
        if (options.Serving is { } serving)
        {
            // Served aliases follow their canary or shadow, and the canary controller concludes through the same service.
            ServingServices.Add(builder.Services, resources.Registry, serving, options.Monitoring, resources.Deployments);
        }

        var app = builder.Build();
        _ = app.Services.GetRequiredService<OwnedResource>();
        app.UseMiddleware<ErrorHandlingMiddleware>();
        MapEndpoints(app, resources.Registry, resources.Tracker, resources.Deployments, options.Serving is not null);
        WebhookServices.Map(app, resources.Webhooks, TimeProvider.System);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return app;
    }

    private static void MapEndpoints(WebApplication app, IModelRegistry registry, IExperimentTracker tracker, IDeploymentService deployments, bool serving)
    {
        var models = new RegisteredModelEndpoints(registry);
        var versions = new ModelVersionEndpoints(registry);
        var experiments = new ExperimentEndpoints(tracker);
        var runs = new RunEndpoints(tracker);
        var history = new MetricHistoryEndpoints(tracker);
        var runArtifacts = new RunArtifactEndpoints(tracker);
        foreach (var prefix in new[] { MlflowPaths.Api, MlflowPaths.AjaxApi })
        {
            var group = app.MapGroup(prefix.TrimEnd('/'));
            models.Map(group);
            versions.Map(group);
            experiments.Map(group);
            runs.Map(group);
            history.Map(group);
            runArtifacts.Map(group);
        }

        new ArtifactEndpoints(registry).Map(app);
        var slipway = app.MapGroup(MlflowPaths.Slipway.TrimEnd('/'));
        new SlipwayEndpoints(registry).Map(slipway);
        new DeploymentEndpoints(deployments).Map(slipway);
        if (serving)
        {
            // Scoring, and /health, /ping and /version that answer OK only once every served model is loaded.
            ServingServices.Map(app);
        }
        else
        {
            HealthEndpoints.Map(app);
        }
    }

    /// <summary>Holds what the application must close on disposal.</summary>
    private sealed class OwnedResource(IAsyncDisposable resource) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => resource.DisposeAsync();
    }
}

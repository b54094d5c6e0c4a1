using Slipway.Core.Deployment;
using Slipway.Core.Registry;
using Slipway.Mlflow.Client;
using Slipway.Serving.Hosting;
using Slipway.Server;
using Slipway.Server.Monitoring;
using Slipway.Server.Serving;

namespace Slipway.ServeHost;

/// <summary>
/// <c>slipway-serve [MODEL_URI]</c>: serves one model with MLflow <c>/invocations</c>, the Open Inference Protocol V2,
/// health and <c>/metrics</c> until SIGTERM (drains requests in flight). Baked mode (the default) serves the package
/// in <c>SLIPWAY_MODEL_DIR</c> as <c>SLIPWAY_MODEL_NAME</c> version <c>SLIPWAY_MODEL_VERSION</c>; generic mode pulls
/// <c>MODEL_URI</c> (or <c>SLIPWAY_MODEL_URI</c>) from the server at <c>SLIPWAY_TRACKING_URI</c> and follows its alias.
/// With <c>SLIPWAY_MONITORING_DIR</c> it also logs answered requests to Parquet there and publishes drift gauges.
/// <c>slipway-serve --health-check</c> asks a running one whether it is ready (an image's HEALTHCHECK: images built
/// FROM scratch have no curl). <c>slipway-serve server</c> runs the registry server instead (what the Helm chart's
/// server Deployment runs), with its stores from <c>SLIPWAY_STORE</c> and <c>SLIPWAY_ARTIFACTS</c>.
/// </summary>
public static class ServeHostProgram
{
    /// <summary>Exit code for a bad setting or a model that cannot be opened.</summary>
    public const int Failure = 1;

    /// <summary>Runs the host; returns 0 after a clean stop, <see cref="Failure"/> with one line on standard error otherwise.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args is [HealthCheck.Argument])
        {
            return await HealthCheck.RunAsync(Environment.GetEnvironmentVariable("SLIPWAY_URLS") ?? ServeHostSettings.DefaultUrls, CancellationToken.None).ConfigureAwait(false);
        }

        ServeHostSettings? settings = null;
        RegistryServerSettings? server = null;
        try
        {
            if (args is [RegistryServerSettings.Argument, ..])
            {
                server = RegistryServerSettings.Read(args, Environment.GetEnvironmentVariable);
            }
            else
            {
                settings = ServeHostSettings.Read(args, Environment.GetEnvironmentVariable);
            }
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return Failure;
        }

        using var stop = new CancellationTokenSource();
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        try
        {
            if (server is not null)
            {
                await SlipwayServerHost.RunAsync(server.ToOptions(), stop.Token).ConfigureAwait(false);
            }
            else
            {
                await ServeAsync(settings!, stop.Token).ConfigureAwait(false);
            }

            return 0;
        }
        catch (Exception e) when (e is RegistryException or System.Data.Common.DbException or IOException or HttpRequestException)
        {
            // A store or registry that cannot be reached: one line for the pod's log, and a restart by its controller.
            // The stores' messages name `slipway server`'s options; here they are environment variables.
            var message = server is null ? e.Message : e.Message.Replace("--store", "SLIPWAY_STORE", StringComparison.Ordinal).Replace("--artifacts", "SLIPWAY_ARTIFACTS", StringComparison.Ordinal);
            await Console.Error.WriteLineAsync("error: " + message).ConfigureAwait(false);
            return Failure;
        }
        catch (UnauthorizedAccessException e)
        {
            // A read-only or foreign directory (a container's root file system): say which setting moves it.
            var setting = server is not null ? "SLIPWAY_REGISTRY_DIR (or SLIPWAY_STORE and SLIPWAY_ARTIFACTS)" : "SLIPWAY_CACHE_DIR and SLIPWAY_MONITORING_DIR";
            await Console.Error.WriteLineAsync($"error: {e.Message} Point {setting} at a writable directory.").ConfigureAwait(false);
            return Failure;
        }
    }

    private static async Task ServeAsync(ServeHostSettings settings, CancellationToken cancellationToken)
    {
        IModelRegistry registry;
        IDeploymentService? deployments = null;
        ModelUri uri;
        var disposables = new List<IDisposable>();
        if (settings.ModelUri is { } pulled)
        {
            var client = new MlflowRegistryClient(settings.TrackingUri!);
            var deploymentClient = new SlipwayDeploymentClient(settings.TrackingUri!);
            disposables.Add(client);
            disposables.Add(deploymentClient);
            registry = client;
            deployments = deploymentClient;
            uri = pulled;
        }
        else
        {
            var baked = await BakedModelRegistry.OpenAsync(
                settings.ModelDirectory, settings.BakedName!, settings.BakedVersion, settings.BakedDigest, TimeProvider.System, cancellationToken).ConfigureAwait(false);
            registry = baked;
            uri = new ModelUri(baked.Version.Name, baked.Version.Version, null);
        }

        try
        {
            var options = new ModelHostOptions { CacheDirectory = settings.CacheDirectory, PollInterval = settings.PollInterval };
            options.Models.Add(new ServedModelOptions(uri));
            var monitoring = settings.MonitoringDirectory is { } directory
                ? new ServingMonitoringOptions { Directory = directory, SampleRate = settings.LogSampleRate }
                : null;
            var app = await ServingServer.StartAsync(settings.Urls, registry, options, monitoring, deployments, null, null, cancellationToken).ConfigureAwait(false);
            await using (app.ConfigureAwait(false))
            {
                foreach (var url in app.Urls)
                {
                    await Console.Out.WriteLineAsync($"slipway-serve: serving {uri} on {url}").ConfigureAwait(false);
                }

                await Console.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // SIGTERM (podman stop, Kubernetes): stop, draining requests in flight.
                }

                await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            foreach (var disposable in disposables)
            {
                disposable.Dispose();
            }
        }
    }
}

using Slipway.Core.Deployment;
using Slipway.Core.Registry;
using Slipway.Deploy.Canary;
using Slipway.Monitoring.Reference;
using Slipway.Serving.Hosting;
using Slipway.Server.Monitoring;

namespace Slipway.Server.Serving;

/// <summary>Adds model serving to an application: the host, its lifetime, metrics and endpoints.</summary>
internal static class ServingServices
{
    /// <summary>
    /// Registers the model host over <paramref name="registry"/> (its events are logged) and, when
    /// <paramref name="monitoring"/> is on, the inference monitor, its metrics and the drift gauges. With
    /// <paramref name="deployments"/>, served aliases follow their traffic splits (canary and shadow, read through
    /// <see cref="IDeploymentService.GetDeploymentAsync"/> unless <see cref="ModelHostOptions.Splits"/> is set) and a
    /// <see cref="CanaryController"/> (set up by <paramref name="canary"/>; its decisions are logged) promotes or rolls
    /// back their canaries.
    /// </summary>
    public static void Add(
        IServiceCollection services,
        IModelRegistry registry,
        ModelHostOptions options,
        ServingMonitoringOptions? monitoring = null,
        IDeploymentService? deployments = null,
        CanaryControllerOptions? canary = null)
    {
        if (monitoring is { Enabled: true, ReferenceProfiles: null })
        {
            // Drift compares against the reference profile stored with each version in the registry served from.
            monitoring.ReferenceProfiles = new RegistryReferenceSource(registry);
        }

        services.AddSingleton(provider => new ServingMonitoring(monitoring, provider.GetRequiredService<ServingMetrics>()));
        services.AddSingleton<DriftWindows>();
        services.AddSingleton<MonitoringEndpoints>();
        services.AddSingleton<ServingMetrics>();
        services.AddSingleton(provider =>
        {
            var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("Slipway.Serving");
            var metrics = provider.GetRequiredService<ServingMetrics>();
            options.Events += e => ServingLifetime.Log(logger, e);
            options.Observer ??= metrics;
            var host = new ModelHost(registry, options);
            metrics.Watch(host);
            return host;
        });
        if (deployments is not null)
        {
            options.Splits ??= deployments.GetDeploymentAsync;
            canary ??= new CanaryControllerOptions();
            services.AddSingleton(provider =>
            {
                var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("Slipway.Canary");
                canary.Events += e => CanaryLifetime.Log(logger, e);
                return new CanaryController(provider.GetRequiredService<ModelHost>(), deployments, canary);
            });
            services.AddSingleton<ITrafficObserver>(provider => provider.GetRequiredService<CanaryController>());
            services.AddHostedService<CanaryLifetime>();
        }

        services.AddSingleton<ShadowMirror>();
        services.AddSingleton<ServingEndpoints>();
        services.AddHostedService<ServingLifetime>();
        services.AddSingleton<DriftGaugeRefresher>();
        services.AddHostedService(provider => provider.GetRequiredService<DriftGaugeRefresher>());
    }

    /// <summary>Maps the scoring, health, status, metrics and monitoring endpoints.</summary>
    public static void Map(WebApplication app)
    {
        app.Services.GetRequiredService<ServingEndpoints>().Map(app);
        app.Services.GetRequiredService<MonitoringEndpoints>().Map(app);

        // Created now so that the monitoring instruments are in the first scrape.
        _ = app.Services.GetRequiredService<ServingMonitoring>();
    }
}

using Slipway.Core.Registry;
using Slipway.Serving.Hosting;

namespace Slipway.Server.Serving;

/// <summary>Adds model serving to an application: the host, its lifetime, metrics and endpoints.</summary>
internal static class ServingServices
{
    /// <summary>Registers the model host over <paramref name="registry"/>; its events are logged.</summary>
    public static void Add(IServiceCollection services, IModelRegistry registry, ModelHostOptions options)
    {
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
        services.AddSingleton<ServingEndpoints>();
        services.AddHostedService<ServingLifetime>();
    }

    /// <summary>Maps the scoring, health, status and metrics endpoints.</summary>
    public static void Map(WebApplication app) => app.Services.GetRequiredService<ServingEndpoints>().Map(app);
}

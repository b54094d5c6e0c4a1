using Slipway.Core.Registry;
using Slipway.Serving.Hosting;

namespace Slipway.Server.Serving;

/// <summary>Adds model serving to an application: the host, its lifetime, metrics and endpoints.</summary>
internal static class ServingServices
{
    /// <summary>Registers the model host over <paramref name="registry"/>; its events are logged.</summary>
    public static void Add(IServiceCollection services, IModelRegistry registry, ModelHostOptions options)
    {
        services.AddSingleton(provider =>
        {
            var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("Slipway.Serving");
            options.Events += e => ServingLifetime.Log(logger, e);
            return new ModelHost(registry, options);
        });
        services.AddSingleton(provider => new ServingMetrics(provider.GetRequiredService<ModelHost>()));
        services.AddSingleton<ServingEndpoints>();
        services.AddHostedService<ServingLifetime>();
    }

    /// <summary>Maps the scoring, health, status and metrics endpoints.</summary>
    public static void Map(WebApplication app) => app.Services.GetRequiredService<ServingEndpoints>().Map(app);
}

using Slipway.Core.Deployment;
using Slipway.Core.Registry;
using Slipway.Deploy.Canary;
using Slipway.Serving.Hosting;
using Slipway.Server.Monitoring;
using Slipway.Server.Http;
using Slipway.Server.Webhooks;

namespace Slipway.Server.Serving;

/// <summary>
/// A serving node (<c>slipway serve</c>): only the scoring side of the server (MLflow <c>/invocations</c>, V2,
/// health, serving status, <c>/metrics</c>) over models loaded from a registry it does not host.
/// </summary>
public static class ServingServer
{
    /// <summary>
    /// Starts listening on <paramref name="urls"/> (separated by <c>;</c>; port 0 picks a free port, read it from the
    /// application's <c>Urls</c>) and starts loading the models in the background: health and readiness say when all
    /// are live. Dispose the application to stop it (in-flight requests are drained first).
    /// </summary>
    public static Task<WebApplication> StartAsync(string urls, IModelRegistry registry, ModelHostOptions options, CancellationToken cancellationToken) =>
        StartAsync(urls, registry, options, null, cancellationToken);

    /// <summary>
    /// Starts as <see cref="StartAsync(string, IModelRegistry, ModelHostOptions, CancellationToken)"/> does, with
    /// monitoring (inference log, drift, feedback) as <paramref name="monitoring"/> says; null turns it off.
    /// </summary>
    public static Task<WebApplication> StartAsync(string urls, IModelRegistry registry, ModelHostOptions options, ServingMonitoringOptions? monitoring, CancellationToken cancellationToken) =>
        StartAsync(urls, registry, options, monitoring, null, null, cancellationToken);

    /// <summary>
    /// Starts as <see cref="StartAsync(string, IModelRegistry, ModelHostOptions, ServingMonitoringOptions?, CancellationToken)"/>
    /// does and, with <paramref name="deployments"/>, follows the served aliases' traffic splits (canary and shadow) and
    /// runs the canary controller (<paramref name="canary"/>; null for its defaults).
    /// </summary>
    public static Task<WebApplication> StartAsync(
        string urls,
        IModelRegistry registry,
        ModelHostOptions options,
        ServingMonitoringOptions? monitoring,
        IDeploymentService? deployments,
        CanaryControllerOptions? canary,
        CancellationToken cancellationToken) =>
        StartAsync(urls, registry, options, monitoring, deployments, canary, null, cancellationToken);

    /// <summary>
    /// Starts as the overload without <paramref name="events"/> does and, with it (a local registry's store), also
    /// delivers webhook events from the outbox and publishes drift alerts into it.
    /// </summary>
    public static async Task<WebApplication> StartAsync(
        string urls,
        IModelRegistry registry,
        ModelHostOptions options,
        ServingMonitoringOptions? monitoring,
        IDeploymentService? deployments,
        CanaryControllerOptions? canary,
        LocalEventDelivery? events,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(urls);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = SlipwayServerHost.MaxJsonBodyBytes;
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (events is not null)
        {
            builder.Services.AddSingleton(events.Outbox);
            WebhookServices.Add(builder.Services, events.Webhooks, TimeProvider.System);
        }

        ServingServices.Add(builder.Services, registry, options, monitoring, deployments, canary);
        var app = builder.Build();
        app.UseMiddleware<ErrorHandlingMiddleware>();
        ServingServices.Map(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return app;
    }
}

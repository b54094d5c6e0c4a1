using Slipway.Core.Deployment.Webhooks;
using Slipway.Deploy.Webhooks;

namespace Slipway.Server.Webhooks;

/// <summary>
/// Wires webhooks into a host that owns a metadata store: the dispatcher as a hosted service and the endpoints.
/// Call <see cref="Add"/> before building the application and <see cref="Map"/> after.
/// </summary>
internal static partial class WebhookServices
{
    /// <summary>Registers the HTTP client, the sender, the dispatcher and its hosted service.</summary>
    public static void Add(IServiceCollection services, IWebhookStore store, TimeProvider time, WebhookDispatcherOptions? options = null)
    {
        var settings = options ?? new WebhookDispatcherOptions();
        services.AddSingleton(sp =>
        {
            // Redirects are not followed: a redirected POST would arrive as a GET without its body.
            var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            {
                Timeout = Timeout.InfiniteTimeSpan,
            };
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger<WebhookDispatcher>();
            return new WebhookHttp(http, new WebhookSender(http, time, settings.RequestTimeout), new WebhookDispatcher(store, http, time, settings, e => LogRoundFailed(logger, e)));
        });
        services.AddHostedService(sp => new WebhookDispatcherService(sp.GetRequiredService<WebhookHttp>().Dispatcher));
    }

    /// <summary>Maps MLflow's webhook endpoints under both MLflow prefixes and the delivery history under Slipway's API.</summary>
    public static void Map(WebApplication app, IWebhookStore store, TimeProvider time)
    {
        var endpoints = new WebhookEndpoints(store, app.Services.GetRequiredService<WebhookHttp>().Sender, time);
        foreach (var prefix in new[] { Slipway.Mlflow.MlflowPaths.Api, Slipway.Mlflow.MlflowPaths.AjaxApi })
        {
            endpoints.MapMlflow(app.MapGroup(prefix.TrimEnd('/')));
        }

        endpoints.MapSlipway(app.MapGroup(Slipway.Mlflow.MlflowPaths.Slipway.TrimEnd('/')));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A webhook delivery round failed; the next round retries")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);

    /// <summary>The shared client, the sender of test requests and the dispatcher; disposed with the host.</summary>
    private sealed class WebhookHttp(HttpClient http, WebhookSender sender, WebhookDispatcher dispatcher) : IAsyncDisposable
    {
        public WebhookSender Sender => sender;

        public WebhookDispatcher Dispatcher => dispatcher;

        public async ValueTask DisposeAsync()
        {
            await dispatcher.DisposeAsync().ConfigureAwait(false);
            http.Dispose();
        }
    }
}

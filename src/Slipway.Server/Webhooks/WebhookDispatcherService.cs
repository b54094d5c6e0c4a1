using Slipway.Deploy.Webhooks;

namespace Slipway.Server.Webhooks;

/// <summary>Runs the <see cref="WebhookDispatcher"/> for the lifetime of the host.</summary>
internal sealed class WebhookDispatcherService(WebhookDispatcher dispatcher) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => dispatcher.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => dispatcher.StopAsync(cancellationToken);
}

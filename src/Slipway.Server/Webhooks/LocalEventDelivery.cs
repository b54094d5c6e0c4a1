using Slipway.Core.Deployment;
using Slipway.Core.Deployment.Webhooks;

namespace Slipway.Server.Webhooks;

/// <summary>
/// The metadata store of a local registry, for a serving node that opened it itself (<c>slipway serve</c> on a
/// directory): with it the node delivers the registry's webhook events and publishes drift alerts, as a server does.
/// </summary>
/// <param name="Webhooks">Webhooks and their deliveries.</param>
/// <param name="Outbox">The event outbox.</param>
public sealed record LocalEventDelivery(IWebhookStore Webhooks, IEventOutbox Outbox);

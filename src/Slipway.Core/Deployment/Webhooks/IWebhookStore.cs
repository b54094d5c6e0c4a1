using Slipway.Core.Search;

namespace Slipway.Core.Deployment.Webhooks;

/// <summary>
/// Webhooks and their durable deliveries. Events come from the outbox (<see cref="IEventOutbox"/>); the dispatcher
/// fans them out into one delivery per matching active webhook, claims due deliveries under a lease so that several
/// dispatchers on one database never send the same one at once, and records every attempt.
/// </summary>
public interface IWebhookStore
{
    /// <summary>Stores a new webhook (its id and timestamps are set by the caller).</summary>
    Task<Webhook> CreateWebhookAsync(Webhook webhook, CancellationToken cancellationToken);

    /// <summary>The webhook, or null.</summary>
    Task<Webhook?> GetWebhookAsync(string id, CancellationToken cancellationToken);

    /// <summary>Webhooks oldest first, a page at a time (<paramref name="pageToken"/> from the previous page).</summary>
    Task<Page<Webhook>> ListWebhooksAsync(int maxResults, string? pageToken, CancellationToken cancellationToken);

    /// <summary>Applies the non-null fields of <paramref name="update"/>; returns the webhook, or null when it does not exist.</summary>
    Task<Webhook?> UpdateWebhookAsync(string id, WebhookUpdate update, long timestamp, CancellationToken cancellationToken);

    /// <summary>Deletes the webhook with its deliveries; false when it did not exist.</summary>
    Task<bool> DeleteWebhookAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Turns up to <paramref name="maxEvents"/> outbox events that have not been fanned out yet into deliveries for
    /// the active webhooks subscribed to them, and advances the fan-out cursor past them, in one transaction.
    /// </summary>
    /// <param name="maxEvents">Events per call.</param>
    /// <param name="now">Milliseconds since the Unix epoch: the deliveries' creation and first due time.</param>
    /// <param name="newDeliveryId">Makes a delivery id (called once per delivery).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many events were consumed (0 when none were waiting).</returns>
    Task<int> FanOutAsync(int maxEvents, long now, Func<string> newDeliveryId, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="max"/> pending deliveries that are due at <paramref name="now"/>, whose webhook is
    /// active and whose lease (if any) has expired, leasing them to <paramref name="owner"/> until
    /// <paramref name="leaseUntil"/>. A delivery leased by a process that died is claimed again once its lease runs out.
    /// </summary>
    Task<IReadOnlyList<DueDelivery>> ClaimDueAsync(string owner, long now, long leaseUntil, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Logs an attempt and moves the delivery to <paramref name="state"/> (pending again with
    /// <see cref="WebhookAttempt.NextAttemptAt"/> when it will be retried), releasing the lease; ignored (false)
    /// when <paramref name="owner"/> no longer holds the lease.
    /// </summary>
    Task<bool> RecordAttemptAsync(string owner, WebhookAttempt attempt, WebhookDeliveryState state, CancellationToken cancellationToken);

    /// <summary>The webhook's deliveries, newest first.</summary>
    Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(string webhookId, int maxResults, CancellationToken cancellationToken);

    /// <summary>The delivery's attempts in order.</summary>
    Task<IReadOnlyList<WebhookAttempt>> ListAttemptsAsync(string deliveryId, CancellationToken cancellationToken);
}

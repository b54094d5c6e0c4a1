namespace Slipway.Core.Deployment.Webhooks;

/// <summary>One event on its way to one webhook: created when the event fans out, retried until it ends.</summary>
/// <param name="Id">The delivery id sent as <c>X-MLflow-Delivery-Id</c>; the same on every attempt.</param>
/// <param name="WebhookId">The webhook it goes to.</param>
/// <param name="EventId">The outbox event it carries.</param>
/// <param name="EventType"><c>entity.action</c>.</param>
/// <param name="Payload">The event's <c>data</c> object as JSON.</param>
/// <param name="State">Pending, delivered or failed.</param>
/// <param name="Attempts">Attempts made so far.</param>
/// <param name="NextAttemptAt">When a pending delivery is due, in milliseconds since the Unix epoch.</param>
/// <param name="CreatedAt">When it was queued, in milliseconds since the Unix epoch.</param>
/// <param name="LastStatusCode">The last attempt's HTTP status, or null when it got no response.</param>
/// <param name="LastError">The last attempt's error, or null.</param>
public sealed record WebhookDelivery(
    string Id,
    string WebhookId,
    long EventId,
    string EventType,
    string Payload,
    WebhookDeliveryState State,
    int Attempts,
    long NextAttemptAt,
    long CreatedAt,
    int? LastStatusCode,
    string? LastError);

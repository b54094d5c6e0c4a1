namespace Slipway.Core.Deployment.Webhooks;

/// <summary>One HTTP attempt of a delivery, as logged.</summary>
/// <param name="DeliveryId">The delivery.</param>
/// <param name="Number">1 for the first attempt.</param>
/// <param name="StartedAt">When the request started, in milliseconds since the Unix epoch.</param>
/// <param name="DurationMs">How long until the response or the error, in milliseconds.</param>
/// <param name="StatusCode">The response's status, or null when there was none (timeout, connection error).</param>
/// <param name="Error">What went wrong, or null on a 2xx.</param>
/// <param name="NextAttemptAt">When the delivery is retried after this attempt, or null when it ended.</param>
public sealed record WebhookAttempt(
    string DeliveryId,
    int Number,
    long StartedAt,
    long DurationMs,
    int? StatusCode,
    string? Error,
    long? NextAttemptAt);

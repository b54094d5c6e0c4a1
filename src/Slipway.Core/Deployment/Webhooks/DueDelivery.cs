namespace Slipway.Core.Deployment.Webhooks;

/// <summary>A delivery claimed for sending, with where to send it.</summary>
/// <param name="Delivery">The delivery.</param>
/// <param name="Url">The webhook's endpoint.</param>
/// <param name="Secret">The webhook's HMAC key, or null.</param>
public sealed record DueDelivery(WebhookDelivery Delivery, string Url, string? Secret);

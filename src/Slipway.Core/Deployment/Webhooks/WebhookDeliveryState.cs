namespace Slipway.Core.Deployment.Webhooks;

/// <summary>Where a delivery stands.</summary>
public enum WebhookDeliveryState
{
    /// <summary>Waiting for its first or next attempt.</summary>
    Pending,

    /// <summary>The receiver answered 2xx.</summary>
    Delivered,

    /// <summary>The receiver refused it (4xx other than 429) or every attempt failed.</summary>
    Failed,
}

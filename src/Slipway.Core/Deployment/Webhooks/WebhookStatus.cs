namespace Slipway.Core.Deployment.Webhooks;

/// <summary>Whether a webhook receives events (MLflow's <c>WebhookStatus</c>).</summary>
public enum WebhookStatus
{
    /// <summary>Receives events (the default).</summary>
    Active,

    /// <summary>Receives nothing; events that happen meanwhile are not queued for it.</summary>
    Disabled,
}

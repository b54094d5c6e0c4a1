namespace Slipway.Core.Deployment.Webhooks;

/// <summary>The fields an update changes; a null field stays as it is (MLflow's <c>UpdateWebhook</c>).</summary>
/// <param name="Name">New name, or null.</param>
/// <param name="Description">New description, or null.</param>
/// <param name="Url">New endpoint, or null.</param>
/// <param name="Events">New subscriptions (non-empty), or null.</param>
/// <param name="Secret">New secret, or null.</param>
/// <param name="Status">New status, or null.</param>
public sealed record WebhookUpdate(
    string? Name = null,
    string? Description = null,
    string? Url = null,
    IReadOnlyList<WebhookEvent>? Events = null,
    string? Secret = null,
    WebhookStatus? Status = null);

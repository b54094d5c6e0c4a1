namespace Slipway.Core.Deployment.Webhooks;

/// <summary>A webhook: where to send which events (MLflow's <c>Webhook</c> entity).</summary>
/// <param name="Id">32 lower-case hex digits, like MLflow's <c>uuid4().hex</c>.</param>
/// <param name="Name">Display name; required.</param>
/// <param name="Description">Free text, or null.</param>
/// <param name="Url">The http or https endpoint that receives a POST per event.</param>
/// <param name="Events">The subscribed events; at least one.</param>
/// <param name="Status">Active or disabled.</param>
/// <param name="Secret">The HMAC key that signs deliveries, or null for unsigned ones; never sent back by the API.</param>
/// <param name="CreationTimestamp">Milliseconds since the Unix epoch.</param>
/// <param name="LastUpdatedTimestamp">Milliseconds since the Unix epoch.</param>
public sealed record Webhook(
    string Id,
    string Name,
    string? Description,
    string Url,
    IReadOnlyList<WebhookEvent> Events,
    WebhookStatus Status,
    string? Secret,
    long CreationTimestamp,
    long LastUpdatedTimestamp);

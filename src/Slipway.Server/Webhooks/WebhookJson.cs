using System.Text.Json;
using Slipway.Core.Deployment.Webhooks;
using Slipway.Deploy.Webhooks;

namespace Slipway.Server.Webhooks;

/// <summary>
/// JSON answers of the webhook API, shaped as MLflow's proto JSON: snake-case fields, enums by name (<c>ACTIVE</c>,
/// <c>MODEL_VERSION</c>, <c>CREATED</c>), int64 timestamps as numbers, unset optional fields and empty lists left out.
/// The secret is never written.
/// </summary>
internal static class WebhookJson
{
    public static async Task WriteAsync(HttpContext context, Action<Utf8JsonWriter> body)
    {
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        body(json);
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }

    public static void WriteWebhook(Utf8JsonWriter json, Webhook webhook)
    {
        json.WriteStartObject();
        json.WriteString("webhook_id", webhook.Id);
        json.WriteString("name", webhook.Name);
        if (!string.IsNullOrEmpty(webhook.Description))
        {
            json.WriteString("description", webhook.Description);
        }

        json.WriteString("url", webhook.Url);
        json.WriteStartArray("events");
        foreach (var webhookEvent in webhook.Events)
        {
            WriteEvent(json, webhookEvent);
        }

        json.WriteEndArray();
        json.WriteString("status", webhook.Status == WebhookStatus.Active ? "ACTIVE" : "DISABLED");
        json.WriteNumber("creation_timestamp", webhook.CreationTimestamp);
        json.WriteNumber("last_updated_timestamp", webhook.LastUpdatedTimestamp);
        json.WriteEndObject();
    }

    public static void WriteEvent(Utf8JsonWriter json, WebhookEvent webhookEvent)
    {
        json.WriteStartObject();
        json.WriteString("entity", webhookEvent.EntityWireName);
        json.WriteString("action", webhookEvent.ActionWireName);
        json.WriteEndObject();
    }

    /// <summary>MLflow's <c>WebhookTestResult</c>.</summary>
    public static void WriteTestResult(Utf8JsonWriter json, WebhookSendResult result)
    {
        json.WriteStartObject("result");

        // MLflow: success = status < 400; a request that got no response fails with "Failed to test webhook: ...".
        json.WriteBoolean("success", result.StatusCode is < 400);
        if (result.StatusCode is { } status)
        {
            json.WriteNumber("response_status", status);
        }

        if (!string.IsNullOrEmpty(result.ResponseBody))
        {
            json.WriteString("response_body", result.ResponseBody);
        }

        if (result.Error is { } error)
        {
            json.WriteString("error_message", "Failed to test webhook: " + error);
        }

        json.WriteEndObject();
    }

    public static void WriteDelivery(Utf8JsonWriter json, WebhookDelivery delivery, IReadOnlyList<WebhookAttempt> attempts)
    {
        json.WriteStartObject();
        json.WriteString("delivery_id", delivery.Id);
        json.WriteString("webhook_id", delivery.WebhookId);
        json.WriteNumber("event_id", delivery.EventId);
        json.WriteString("event", delivery.EventType);
        json.WriteString("state", delivery.State.ToString().ToLowerInvariant());
        json.WriteNumber("attempts", delivery.Attempts);
        json.WriteNumber("created_at", delivery.CreatedAt);
        if (delivery.State == WebhookDeliveryState.Pending)
        {
            json.WriteNumber("next_attempt_at", delivery.NextAttemptAt);
        }

        if (delivery.LastStatusCode is { } status)
        {
            json.WriteNumber("last_status_code", status);
        }

        if (delivery.LastError is { } error)
        {
            json.WriteString("last_error", error);
        }

        json.WritePropertyName("data");
        json.WriteRawValue(delivery.Payload);
        json.WriteStartArray("attempt_log");
        foreach (var attempt in attempts)
        {
            json.WriteStartObject();
            json.WriteNumber("attempt", attempt.Number);
            json.WriteNumber("started_at", attempt.StartedAt);
            json.WriteNumber("duration_ms", attempt.DurationMs);
            if (attempt.StatusCode is { } code)
            {
                json.WriteNumber("status_code", code);
            }

            if (attempt.Error is { } message)
            {
                json.WriteString("error", message);
            }

            if (attempt.NextAttemptAt is { } next)
            {
                json.WriteNumber("next_attempt_at", next);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using Slipway.Core.Deployment.Webhooks;

namespace Slipway.Deploy.Webhooks;

/// <summary>
/// The body MLflow POSTs (mlflow/webhooks/delivery.py, <c>_send_webhook_request</c>):
/// <c>{"entity": "model_version", "action": "created", "timestamp": "2025-07-31T08:27:32.080217+00:00", "data": {...}}</c>,
/// where <c>timestamp</c> is when the request is sent, as Python's <c>datetime.isoformat()</c> writes UTC time.
/// Slipway's own events use the same wrapper (e.g. entity <c>promotion</c>, action <c>passed</c>).
/// </summary>
public static class WebhookEnvelope
{
    /// <summary>The JSON body for an event of <paramref name="eventType"/> whose <c>data</c> is <paramref name="dataJson"/>.</summary>
    public static string Build(string eventType, string dataJson, DateTimeOffset sentAt)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        ArgumentNullException.ThrowIfNull(dataJson);
        var dot = eventType.IndexOf('.', StringComparison.Ordinal);
        using var buffer = new MemoryStream(dataJson.Length + 128);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("entity", dot < 0 ? eventType : eventType[..dot]);
            json.WriteString("action", dot < 0 ? string.Empty : eventType[(dot + 1)..]);
            json.WriteString("timestamp", IsoTimestamp(sentAt));
            json.WritePropertyName("data");
            json.WriteRawValue(dataJson);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The body for <paramref name="webhookEvent"/>.</summary>
    public static string Build(WebhookEvent webhookEvent, string dataJson, DateTimeOffset sentAt) => Build(webhookEvent.ToString(), dataJson, sentAt);

    /// <summary>UTC time as Python's <c>datetime.now(timezone.utc).isoformat()</c>: microseconds and <c>+00:00</c>.</summary>
    public static string IsoTimestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);
}

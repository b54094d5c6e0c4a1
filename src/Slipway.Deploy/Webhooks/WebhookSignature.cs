using System.Security.Cryptography;
using System.Text;

namespace Slipway.Deploy.Webhooks;

/// <summary>
/// MLflow's webhook signature (mlflow/webhooks/delivery.py, <c>_generate_hmac_signature</c>, MLflow 3.3+): HMAC-SHA256
/// keyed with the webhook's secret (UTF-8) over <c>{delivery_id}.{timestamp}.{payload}</c> (UTF-8), where
/// <c>timestamp</c> is the <c>X-MLflow-Timestamp</c> header (Unix seconds) and <c>payload</c> the exact request body;
/// sent as <c>X-MLflow-Signature: v1,&lt;base64 of the digest&gt;</c>. The same scheme as Standard Webhooks, with
/// the secret used as raw UTF-8 bytes.
/// </summary>
public static class WebhookSignature
{
    /// <summary>The delivery id header; the same id on every attempt of one delivery.</summary>
    public const string DeliveryIdHeader = "X-MLflow-Delivery-Id";

    /// <summary>The header with the attempt's Unix time in seconds.</summary>
    public const string TimestampHeader = "X-MLflow-Timestamp";

    /// <summary>The signature header, present only when the webhook has a secret.</summary>
    public const string SignatureHeader = "X-MLflow-Signature";

    /// <summary>The signature scheme's version prefix.</summary>
    public const string Version = "v1";

    /// <summary>Returns <c>v1,&lt;base64(HMAC-SHA256(secret, "{deliveryId}.{timestamp}.{payload}"))&gt;</c>.</summary>
    public static string Sign(string secret, string deliveryId, string timestamp, string payload)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(deliveryId);
        ArgumentNullException.ThrowIfNull(timestamp);
        ArgumentNullException.ThrowIfNull(payload);
        var content = Encoding.UTF8.GetBytes(deliveryId + "." + timestamp + "." + payload);
        var digest = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), content);
        return Version + "," + Convert.ToBase64String(digest);
    }
}

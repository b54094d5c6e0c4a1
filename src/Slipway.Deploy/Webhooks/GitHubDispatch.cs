using System.Text;
using System.Text.Json;

namespace Slipway.Deploy.Webhooks;

/// <summary>
/// GitHub's <c>repository_dispatch</c> as a webhook target. GitHub accepts only
/// <c>{"event_type": ..., "client_payload": {...}}</c> authorised by a token, so a webhook whose URL is a repository's
/// dispatches endpoint (<c>https://api.github.com/repos/OWNER/REPO/dispatches</c>, or GitHub Enterprise's
/// <c>/api/v3/repos/OWNER/REPO/dispatches</c>) gets the MLflow envelope as its <c>client_payload</c>, the event type
/// (<c>model_version.created</c>) as <c>event_type</c>, and its secret as the bearer token instead of an HMAC key
/// (GitHub authenticates the caller; it verifies no signature). A workflow then reads
/// <c>github.event.client_payload.data.name</c> and <c>.version</c>.
/// </summary>
public static class GitHubDispatch
{
    /// <summary>Whether <paramref name="url"/> is a repository's dispatches endpoint: a path ending <c>/repos/OWNER/REPO/dispatches</c>.</summary>
    public static bool IsDispatchUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return false;
        }

        var segments = uri.AbsolutePath.Trim('/').Split('/');
        return segments.Length >= 4
            && segments[^1] == "dispatches"
            && segments[^4] == "repos"
            && segments[^2].Length > 0
            && segments[^3].Length > 0;
    }

    /// <summary>The dispatch body around an MLflow envelope.</summary>
    /// <param name="eventType"><c>entity.action</c>, GitHub's <c>event_type</c>.</param>
    /// <param name="envelope">The MLflow webhook body (<see cref="WebhookEnvelope"/>).</param>
    public static string Body(string eventType, string envelope)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("event_type", eventType);
            json.WritePropertyName("client_payload");
            json.WriteRawValue(envelope, skipInputValidation: false);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

using System.Text.Json;
using Slipway.Core.Deployment.Webhooks;
using Slipway.Core.Registry;

namespace Slipway.Server.Webhooks;

/// <summary>
/// A parsed <c>CreateWebhook</c> or <c>UpdateWebhook</c> body (mlflow/protos/webhooks.proto). Events arrive as
/// <c>{"entity": "MODEL_VERSION", "action": "CREATED"}</c> (the proto enum names MLflow's clients send); the lower-case
/// spelling and <c>"model_version.created"</c> strings are accepted as well. Every bad field is a 400 naming it.
/// </summary>
internal sealed record WebhookRequest(string? Name, string? Description, string? Url, IReadOnlyList<WebhookEvent>? Events, string? Secret, WebhookStatus? Status)
{
    /// <summary>Longest name, in characters.</summary>
    public const int MaxNameLength = 256;

    /// <summary>Longest URL, in characters.</summary>
    public const int MaxUrlLength = 2048;

    public static async Task<WebhookRequest> ReadAsync(HttpContext context)
    {
        using var document = await ReadDocumentAsync(context);
        var root = document?.RootElement;
        if (root is { } r && r.ValueKind != JsonValueKind.Object)
        {
            throw RegistryException.Invalid("Malformed JSON request body: expected a JSON object.");
        }

        var url = String(root, "url");
        if (url is not null)
        {
            url = CheckUrl(url);
        }

        var name = String(root, "name");
        if (name is { Length: > MaxNameLength })
        {
            throw RegistryException.Invalid($"'name' exceeds the maximum length of {MaxNameLength} characters.");
        }

        return new WebhookRequest(name, String(root, "description"), url, ReadEvents(root), String(root, "secret"), ReadStatus(root));
    }

    /// <summary>The <c>event</c> of a <c>TestWebhook</c> body, or null when absent.</summary>
    public static async Task<WebhookEvent?> ReadTestEventAsync(HttpContext context)
    {
        using var document = await ReadDocumentAsync(context);
        if (document?.RootElement is not { } root)
        {
            return null;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw RegistryException.Invalid("Malformed JSON request body: expected a JSON object.");
        }

        return root.TryGetProperty("event", out var value) && value.ValueKind != JsonValueKind.Null ? Event(value, "event") : null;
    }

    /// <summary>Checks an endpoint: absolute, http or https, with a host.</summary>
    public static string CheckUrl(string url)
    {
        if (url.Length > MaxUrlLength)
        {
            throw RegistryException.Invalid($"Invalid value for parameter 'url': longer than {MaxUrlLength} characters.");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || string.IsNullOrEmpty(parsed.Host))
        {
            throw RegistryException.Invalid($"Invalid value '{url}' for parameter 'url': must be an absolute http or https URL.");
        }

        if (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
        {
            throw RegistryException.Invalid($"Invalid webhook URL scheme '{parsed.Scheme}' for parameter 'url': must be 'http' or 'https'.");
        }

        return url;
    }

    private static async Task<JsonDocument?> ReadDocumentAsync(HttpContext context)
    {
        // Webhook bodies are small; reading them whole lets an empty body (with or without Content-Length) mean "none".
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (bytes.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(bytes);
        }
        catch (JsonException)
        {
            throw RegistryException.Invalid("Malformed JSON request body: expected a JSON object.");
        }
    }

    private static string? String(JsonElement? root, string field)
    {
        if (root is not { } r || !r.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw RegistryException.Invalid($"Invalid value for parameter '{field}': expected a string.");
    }

    private static WebhookStatus? ReadStatus(JsonElement? root)
    {
        var text = String(root, "status");
        return text?.ToUpperInvariant() switch
        {
            null => null,
            "ACTIVE" => WebhookStatus.Active,
            "DISABLED" => WebhookStatus.Disabled,
            _ => throw RegistryException.Invalid($"Invalid value '{text}' for parameter 'status': must be ACTIVE or DISABLED."),
        };
    }

    private static List<WebhookEvent>? ReadEvents(JsonElement? root)
    {
        if (root is not { } r || !r.TryGetProperty("events", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw RegistryException.Invalid("Invalid value for parameter 'events': expected an array of {\"entity\", \"action\"} objects.");
        }

        var events = new List<WebhookEvent>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var parsed = Event(item, FormattableString.Invariant($"events[{index++}]"));
            if (!events.Contains(parsed))
            {
                events.Add(parsed);
            }
        }

        return events;
    }

    private static WebhookEvent Event(JsonElement item, string field)
    {
        string? error;
        if (item.ValueKind == JsonValueKind.String)
        {
            if (WebhookEvent.TryParse(item.GetString(), out var parsed, out error))
            {
                return parsed.Value;
            }
        }
        else if (item.ValueKind == JsonValueKind.Object)
        {
            var entity = item.TryGetProperty("entity", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            var action = item.TryGetProperty("action", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            if (entity is null || action is null)
            {
                throw RegistryException.Invalid($"Invalid value for parameter '{field}': 'entity' and 'action' are required.");
            }

            if (WebhookEvent.TryCreate(entity, action, out error) is { } created)
            {
                return created;
            }
        }
        else
        {
            error = "expected an {\"entity\", \"action\"} object";
        }

        throw RegistryException.Invalid($"Invalid value for parameter '{field}': {error}");
    }
}

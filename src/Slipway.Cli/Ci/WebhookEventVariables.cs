using System.Text.Json;
using Slipway.Cli.CommandLine;

namespace Slipway.Cli.Ci;

/// <summary>
/// Reads a delivered webhook event into the variables a pipeline needs: the event type, model, version and alias.
/// Accepts MLflow's envelope (<c>{entity, action, timestamp, data}</c>) and GitHub's dispatch body around it.
/// </summary>
public static class WebhookEventVariables
{
    /// <summary>The variables, in a fixed order; a field the event lacks is left out.</summary>
    /// <param name="json">The body.</param>
    /// <param name="what">How to name the input in errors (the file).</param>
    /// <exception cref="CliException">When the body is not such an event.</exception>
    public static IReadOnlyList<(string Key, string Value)> Read(string json, string what)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("client_payload", out var payload))
            {
                root = payload;
            }

            if (root.ValueKind != JsonValueKind.Object
                || Text(root, "entity") is not { Length: > 0 } entity
                || Text(root, "action") is not { Length: > 0 } action
                || !root.TryGetProperty("data", out var data)
                || data.ValueKind != JsonValueKind.Object)
            {
                throw new CliException($"'{what}' is not a webhook event: expected {{\"entity\", \"action\", \"data\"}} (or GitHub's client_payload around it).");
            }

            var variables = new List<(string, string)> { ("SLIPWAY_EVENT", $"{entity.ToLowerInvariant()}.{action.ToLowerInvariant()}") };
            Add(variables, "SLIPWAY_EVENT_MODEL", Text(data, "name"));
            Add(variables, "SLIPWAY_EVENT_VERSION", Text(data, "version") ?? Text(data, "to_version"));
            Add(variables, "SLIPWAY_EVENT_ALIAS", Text(data, "alias"));
            return variables;
        }
        catch (JsonException e)
        {
            throw new CliException($"'{what}' is not JSON: {e.Message}");
        }
    }

    /// <summary>Quotes a value for POSIX shells: single quotes, with embedded quotes closed, escaped and reopened.</summary>
    public static string Quote(string value) => "'" + (value ?? string.Empty).Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static void Add(List<(string, string)> variables, string key, string? value)
    {
        if (value is not null)
        {
            variables.Add((key, value));
        }
    }

    // Versions may be strings (MLflow's payloads) or numbers (Slipway's promotion ids and versions).
    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;
}

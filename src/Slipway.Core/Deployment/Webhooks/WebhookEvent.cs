using System.Diagnostics.CodeAnalysis;

namespace Slipway.Core.Deployment.Webhooks;

/// <summary>
/// An event a webhook subscribes to: an entity and an action, written <c>entity.action</c> (MLflow's
/// <c>WebhookEvent</c>, mlflow/entities/webhook.py). Valid pairs are MLflow's model registry events plus Slipway's
/// deployment events (<see cref="DeploymentEvents"/>); MLflow's prompt events are not offered because Slipway has no
/// prompt registry.
/// </summary>
/// <param name="Entity">Lower snake case, e.g. <c>model_version</c> or <c>promotion</c>.</param>
/// <param name="Action">Lower snake case, e.g. <c>created</c> or <c>passed</c>.</param>
public readonly record struct WebhookEvent(string Entity, string Action)
{
    // entity -> its valid actions; MLflow's VALID_ENTITY_ACTIONS for the registry, then Slipway's.
    private static readonly Dictionary<string, string[]> Valid = new(StringComparer.Ordinal)
    {
        ["registered_model"] = ["created"],
        ["model_version"] = ["created"],
        ["model_version_tag"] = ["set", "deleted"],
        ["model_version_alias"] = ["created", "deleted"],
        ["promotion"] = ["passed", "failed"],
        ["rollback"] = ["completed", "refused"],
        ["canary"] = ["started", "promoted", "rolled_back"],
        ["drift"] = ["alert"],
    };

    /// <summary>Every valid event, MLflow's first, in a stable order.</summary>
    public static IReadOnlyList<WebhookEvent> All { get; } = [.. Valid.SelectMany(pair => pair.Value.Select(action => new WebhookEvent(pair.Key, action)))];

    /// <summary>Whether MLflow itself defines this event (the registry events), as opposed to Slipway's own.</summary>
    public bool IsMlflowEvent => Entity is "registered_model" or "model_version" or "model_version_tag" or "model_version_alias";

    /// <summary>Whether the entity exists and allows the action.</summary>
    public bool IsValid => Entity is not null && Action is not null && Valid.TryGetValue(Entity, out var actions) && actions.Contains(Action, StringComparer.Ordinal);

    /// <summary>
    /// Parses and validates an entity and an action in either spelling MLflow uses: the proto enum names of the REST
    /// API (<c>MODEL_VERSION</c>, <c>CREATED</c>) or the lower-case values of its Python entities.
    /// </summary>
    /// <returns>The event, or an error message naming what is wrong (MLflow's wording where it has one).</returns>
    public static WebhookEvent? TryCreate(string? entity, string? action, out string? error)
    {
        var e = entity?.Trim().ToLowerInvariant() ?? string.Empty;
        var a = action?.Trim().ToLowerInvariant() ?? string.Empty;
        if (!Valid.TryGetValue(e, out var actions))
        {
            error = $"Invalid entity '{entity}'. Valid entities are: {string.Join(", ", Valid.Keys)}";
            return null;
        }

        if (!actions.Contains(a, StringComparer.Ordinal))
        {
            error = $"Invalid action '{action}' for entity '{e}'. Valid actions are: [{string.Join(", ", actions.Order(StringComparer.Ordinal).Select(x => "'" + x + "'"))}]";
            return null;
        }

        error = null;
        return new WebhookEvent(e, a);
    }

    /// <summary>Parses <c>entity.action</c> (e.g. <c>model_version.created</c>, <c>canary.rolled_back</c>).</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out WebhookEvent? value, out string? error)
    {
        value = null;
        var dot = text?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (text is null || dot <= 0 || dot == text.Length - 1 || text.IndexOf('.', dot + 1) >= 0)
        {
            error = $"Invalid event string format: {text}. Expected format: 'entity.action' (e.g., 'registered_model.created')";
            return false;
        }

        value = TryCreate(text[..dot], text[(dot + 1)..], out error);
        return value is not null;
    }

    /// <summary>Parses <c>entity.action</c> or throws <see cref="FormatException"/>.</summary>
    public static WebhookEvent Parse(string text) =>
        TryParse(text, out var value, out var error) ? value.Value : throw new FormatException(error);

    /// <summary>The proto enum name of the entity (<c>MODEL_VERSION</c>), as MLflow's REST API writes it.</summary>
    public string EntityWireName => Entity.ToUpperInvariant();

    /// <summary>The proto enum name of the action (<c>CREATED</c>), as MLflow's REST API writes it.</summary>
    public string ActionWireName => Action.ToUpperInvariant();

    /// <summary><c>entity.action</c>, the event type stored in the outbox.</summary>
    public override string ToString() => Entity + "." + Action;
}

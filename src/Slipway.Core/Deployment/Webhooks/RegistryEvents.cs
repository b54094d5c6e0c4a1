using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Slipway.Core.Deployment.Webhooks;

/// <summary>
/// MLflow's model registry webhook events: their type names and their <c>data</c> objects, field for field as
/// mlflow/webhooks/types.py defines them and mlflow/server/handlers.py fills them (versions are strings; an empty
/// run id or description is null). The examples are the payloads MLflow's <c>test_webhook</c> sends.
/// </summary>
public static class RegistryEvents
{
    /// <summary>A registered model was created.</summary>
    public const string RegisteredModelCreated = "registered_model.created";

    /// <summary>A model version was created (Slipway: when it became READY, i.e. its files are stored).</summary>
    public const string ModelVersionCreated = "model_version.created";

    /// <summary>A model version tag was set.</summary>
    public const string ModelVersionTagSet = "model_version_tag.set";

    /// <summary>A model version tag was deleted.</summary>
    public const string ModelVersionTagDeleted = "model_version_tag.deleted";

    /// <summary>An alias was set (created or moved) to a version.</summary>
    public const string ModelVersionAliasCreated = "model_version_alias.created";

    /// <summary>An alias was deleted.</summary>
    public const string ModelVersionAliasDeleted = "model_version_alias.deleted";

    /// <summary><c>{"name", "tags", "description"}</c>.</summary>
    public static string RegisteredModelCreatedData(string name, IReadOnlyDictionary<string, string> tags, string? description) =>
        Write(json =>
        {
            json.WriteString("name", name);
            WriteTags(json, tags);
            WriteOptional(json, "description", description);
        });

    /// <summary><c>{"name", "version", "source", "run_id", "tags", "description"}</c>.</summary>
    public static string ModelVersionCreatedData(string name, long version, string source, string? runId, IReadOnlyDictionary<string, string> tags, string? description) =>
        Write(json =>
        {
            json.WriteString("name", name);
            json.WriteString("version", Text(version));
            json.WriteString("source", source);
            WriteOptional(json, "run_id", runId);
            WriteTags(json, tags);
            WriteOptional(json, "description", description);
        });

    /// <summary><c>{"name", "version", "key", "value"}</c>.</summary>
    public static string ModelVersionTagSetData(string name, long version, string key, string value) =>
        Write(json =>
        {
            json.WriteString("name", name);
            json.WriteString("version", Text(version));
            json.WriteString("key", key);
            json.WriteString("value", value);
        });

    /// <summary><c>{"name", "version", "key"}</c>.</summary>
    public static string ModelVersionTagDeletedData(string name, long version, string key) =>
        Write(json =>
        {
            json.WriteString("name", name);
            json.WriteString("version", Text(version));
            json.WriteString("key", key);
        });

    /// <summary><c>{"name", "alias", "version"}</c>.</summary>
    public static string ModelVersionAliasCreatedData(string name, string alias, long version) =>
        Write(json =>
        {
            json.WriteString("name", name);
            json.WriteString("alias", alias);
            json.WriteString("version", Text(version));
        });

    /// <summary><c>{"name", "alias"}</c>.</summary>
    public static string ModelVersionAliasDeletedData(string name, string alias) =>
        Write(json =>
        {
            json.WriteString("name", name);
            json.WriteString("alias", alias);
        });

    /// <summary>
    /// The example <c>data</c> that a test delivery of <paramref name="webhookEvent"/> carries: MLflow's
    /// <c>get_example_payload_for_event</c> for its events, a representative record for Slipway's.
    /// </summary>
    public static string Example(WebhookEvent webhookEvent)
    {
        var example = new Dictionary<string, string>(StringComparer.Ordinal) { ["example_key"] = "example_value" };
        return webhookEvent.ToString() switch
        {
            RegisteredModelCreated => RegisteredModelCreatedData("example_model", example, "An example registered model"),
            ModelVersionCreated => Write(json =>
            {
                json.WriteString("name", "example_model");
                json.WriteString("version", "1");
                json.WriteString("source", "runs:/abcd1234abcd5678/model");
                json.WriteString("run_id", "abcd1234abcd5678");
                WriteTags(json, example);
                json.WriteString("description", "An example model version");
            }),
            ModelVersionTagSet => ModelVersionTagSetData("example_model", 1, "example_key", "example_value"),
            ModelVersionTagDeleted => ModelVersionTagDeletedData("example_model", 1, "example_key"),
            ModelVersionAliasCreated => ModelVersionAliasCreatedData("example_model", "example_alias", 1),
            ModelVersionAliasDeleted => ModelVersionAliasDeletedData("example_model", "example_alias"),
            DeploymentEvents.DriftAlert => DriftAlertPayload.Data("example_model", "production", "1", "1h", 0.6, 0.5, ["example_feature"]),
            _ => DeploymentEvents.Payload(new PromotionRecord(
                1,
                "example_model",
                "production",
                webhookEvent.Entity switch { "rollback" => PromotionKind.Rollback, "canary" when webhookEvent.Action == "promoted" => PromotionKind.CanaryPromote, "canary" when webhookEvent.Action == "rolled_back" => PromotionKind.CanaryRollback, _ => PromotionKind.Promote },
                1,
                2,
                null,
                webhookEvent.Action switch { "failed" or "refused" => PromotionOutcome.Failed, "started" => PromotionOutcome.CanaryStarted, _ => PromotionOutcome.Passed },
                [],
                [],
                "example_user",
                "An example " + webhookEvent.Entity,
                0)),
        };
    }

    internal static string Text(long version) => version.ToString(CultureInfo.InvariantCulture);

    internal static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteTags(Utf8JsonWriter json, IReadOnlyDictionary<string, string> tags)
    {
        json.WriteStartObject("tags");
        foreach (var (key, value) in tags.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
    }

    internal static string Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

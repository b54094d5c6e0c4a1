using System.Buffers;
using System.Text.Json;
using Slipway.Core.Registry;
using Slipway.Core.Tracking;

namespace Slipway.Server.Tracking;

/// <summary>
/// MLflow 2.x's <c>runs/log-model</c>: after uploading a model's files, the client sends its <c>MLmodel</c> as JSON, and
/// the server appends it (without <c>signature</c> and <c>saved_input_example_info</c>, as MLflow does) to the JSON list
/// in the run's <c>mlflow.log-model.history</c> tag, which the MLflow UI reads to show the run's models.
/// </summary>
internal static class LoggedModelHistory
{
    /// <summary>The tag MLflow keeps the list in.</summary>
    public const string Tag = "mlflow.log-model.history";

    private static readonly string[] RequiredFields = ["artifact_path", "flavors", "utc_time_created", "run_id"];
    private static readonly string[] DroppedFields = ["signature", "saved_input_example_info"];

    public static async Task AppendAsync(IExperimentTracker tracker, string runId, string modelJson, CancellationToken cancellationToken)
    {
        using var model = Parse(modelJson);
        var run = await tracker.GetRunAsync(runId, cancellationToken);
        var previous = run.Data.Tags.FirstOrDefault(t => t.Key == Tag)?.Value;

        var buffer = new ArrayBufferWriter<byte>(modelJson.Length + (previous?.Length ?? 0) + 16);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            if (previous is not null && TryParseList(previous) is { } list)
            {
                using (list)
                {
                    foreach (var entry in list.RootElement.EnumerateArray())
                    {
                        entry.WriteTo(writer);
                    }
                }
            }

            writer.WriteStartObject();
            foreach (var property in model.RootElement.EnumerateObject())
            {
                if (!DroppedFields.Contains(property.Name, StringComparer.Ordinal))
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        // The tag's length limit applies as for any tag: a run that logged very many models gets MLflow's own error.
        await tracker.SetTagAsync(runId, Tag, System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan), cancellationToken);
    }

    private static JsonDocument Parse(string modelJson)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(modelJson);
        }
        catch (JsonException)
        {
            throw RegistryException.Invalid($"Malformed model info in 'model_json': {Truncate(modelJson)} is not valid JSON.");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw RegistryException.Invalid("Malformed model info in 'model_json': expected a JSON object.");
        }

        var missing = RequiredFields.Where(f => !document.RootElement.TryGetProperty(f, out _)).ToList();
        if (missing.Count > 0)
        {
            document.Dispose();
            throw RegistryException.Invalid($"Model json is missing mandatory fields: {string.Join(", ", missing)}.");
        }

        return document;
    }

    /// <summary>The stored list, or null when someone overwrote the tag with something else (then the list restarts).</summary>
    private static JsonDocument? TryParseList(string value)
    {
        try
        {
            var document = JsonDocument.Parse(value);
            if (document.RootElement.ValueKind == JsonValueKind.Array)
            {
                return document;
            }

            document.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "...";
}

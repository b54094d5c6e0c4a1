using System.Text.Json;
using Slipway.Monitoring.Feedback;
using Slipway.Monitoring.Inference;
using Slipway.Server.Serving;
using Slipway.Server.Http;

namespace Slipway.Server.Monitoring;

/// <summary>
/// <c>POST /api/slipway/feedback</c>: ground truth for logged predictions. The body is
/// <c>{"request_id": "...", "actual": value}</c>, <c>{"request_id": "...", "actuals": [one per row]}</c>, or a list of
/// such objects. One object answers 200 with what it joined (model, version, rows, correct or errors), 404 for an
/// unknown request id, 400 naming the field for a malformed one, 409 when feedback for the id was already counted, 422
/// when the model has no output to compare with. A list answers 200 with one result per item, each with its status.
/// </summary>
internal static class FeedbackEndpoint
{
    /// <summary>The route.</summary>
    public const string Path = "/api/slipway/feedback";

    public static async Task HandleAsync(HttpContext context, ServingMonitoring monitoring)
    {
        if (monitoring.Monitor is not { } monitor)
        {
            await Responses.ErrorAsync(context, StatusCodes.Status404NotFound, "RESOURCE_DOES_NOT_EXIST", "monitoring is off on this server: no predictions are logged to join feedback with.").ConfigureAwait(false);
            return;
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            await Responses.ErrorAsync(context, StatusCodes.Status400BadRequest, "BAD_REQUEST", $"the body is not valid JSON: {e.Message}").ConfigureAwait(false);
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                await BulkAsync(context, monitor, root).ConfigureAwait(false);
                return;
            }

            if (!TryRead(root, string.Empty, out var item, out var error))
            {
                await Responses.ErrorAsync(context, StatusCodes.Status400BadRequest, "INVALID_PARAMETER_VALUE", error).ConfigureAwait(false);
                return;
            }

            var result = monitor.SubmitFeedback(item.RequestId, item.Actuals);
            if (result.Status != FeedbackStatus.Accepted)
            {
                var (status, code) = Status(result.Status);
                await Responses.ErrorAsync(context, status, code, result.Message ?? result.Status.ToString()).ConfigureAwait(false);
                return;
            }

            await SendAsync(context, StatusCodes.Status200OK, writer => WriteResult(writer, item.RequestId, result)).ConfigureAwait(false);
        }
    }

    private static async Task BulkAsync(HttpContext context, InferenceMonitor monitor, JsonElement items)
    {
        // Every item is checked before any is counted, so a malformed list changes nothing.
        var parsed = new List<Item>(items.GetArrayLength());
        var index = 0;
        foreach (var element in items.EnumerateArray())
        {
            if (!TryRead(element, $"[{index}].", out var item, out var error))
            {
                await Responses.ErrorAsync(context, StatusCodes.Status400BadRequest, "INVALID_PARAMETER_VALUE", error).ConfigureAwait(false);
                return;
            }

            parsed.Add(item);
            index++;
        }

        var results = new FeedbackResult[parsed.Count];
        for (var i = 0; i < parsed.Count; i++)
        {
            results[i] = monitor.SubmitFeedback(parsed[i].RequestId, parsed[i].Actuals);
        }

        await SendAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("results");
            for (var i = 0; i < results.Length; i++)
            {
                WriteResult(writer, parsed[i].RequestId, results[i]);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }).ConfigureAwait(false);
    }

    /// <summary>Reads one feedback object; false with a message naming the field (prefixed by <paramref name="path"/>) when it is malformed.</summary>
    private static bool TryRead(JsonElement element, string path, out Item item, out string error)
    {
        item = default;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = $"{(path.Length == 0 ? "the body" : path.TrimEnd('.'))} must be an object with request_id and actual or actuals.";
            return false;
        }

        if (!element.TryGetProperty("request_id", out var id) || id.ValueKind == JsonValueKind.Null)
        {
            error = $"{path}request_id: required.";
            return false;
        }

        if (id.ValueKind != JsonValueKind.String || !RequestIds.IsValid(id.GetString()))
        {
            error = $"{path}request_id: must be a string of 1 to {RequestIds.MaxLength} printable ASCII characters.";
            return false;
        }

        var hasOne = element.TryGetProperty("actual", out var actual);
        var hasMany = element.TryGetProperty("actuals", out var actuals);
        if (hasOne == hasMany)
        {
            error = $"{path}actual: give either actual (one value) or actuals (one value per row), not {(hasOne ? "both" : "neither")}.";
            return false;
        }

        var values = new List<FeedbackValue>();
        if (hasOne)
        {
            if (!FeedbackValue.TryFromJson(actual, out var value))
            {
                error = $"{path}actual: must be a number, a string or a boolean, not {Describe(actual.ValueKind)}.";
                return false;
            }

            values.Add(value);
        }
        else
        {
            if (actuals.ValueKind != JsonValueKind.Array || actuals.GetArrayLength() == 0)
            {
                error = $"{path}actuals: must be a non-empty list with one value per row.";
                return false;
            }

            var i = 0;
            foreach (var element2 in actuals.EnumerateArray())
            {
                if (!FeedbackValue.TryFromJson(element2, out var value))
                {
                    error = $"{path}actuals[{i}]: must be a number, a string or a boolean, not {Describe(element2.ValueKind)}.";
                    return false;
                }

                values.Add(value);
                i++;
            }
        }

        item = new Item(id.GetString()!, values);
        error = string.Empty;
        return true;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.Null => "null",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static (int Status, string Code) Status(FeedbackStatus status) => status switch
    {
        FeedbackStatus.UnknownRequestId => (StatusCodes.Status404NotFound, "RESOURCE_DOES_NOT_EXIST"),
        FeedbackStatus.Duplicate => (StatusCodes.Status409Conflict, "RESOURCE_ALREADY_EXISTS"),
        FeedbackStatus.NotComparable => (StatusCodes.Status422UnprocessableEntity, "INVALID_STATE"),
        _ => (StatusCodes.Status400BadRequest, "INVALID_PARAMETER_VALUE"),
    };

    private static void WriteResult(Utf8JsonWriter writer, string requestId, FeedbackResult result)
    {
        writer.WriteStartObject();
        writer.WriteString("request_id", requestId);
        writer.WriteString("status", result.Status switch
        {
            FeedbackStatus.Accepted => "accepted",
            FeedbackStatus.UnknownRequestId => "unknown_request_id",
            FeedbackStatus.Duplicate => "duplicate",
            FeedbackStatus.NotComparable => "not_comparable",
            _ => "invalid",
        });
        if (result.Status != FeedbackStatus.Accepted)
        {
            writer.WriteString("error_code", Status(result.Status).Code);
            writer.WriteString("message", result.Message);
        }

        WriteStringOrNull(writer, "model", result.Model);
        WriteStringOrNull(writer, "version", result.Version);
        if (result.Status == FeedbackStatus.Accepted)
        {
            WriteStringOrNull(writer, "output", result.Output);
            writer.WriteString("task", result.Task == FeedbackTask.Classification ? "classification" : "regression");
            writer.WriteNumber("rows", result.Rows);
            if (result.Task == FeedbackTask.Classification)
            {
                writer.WriteNumber("correct", result.Correct);
            }
            else
            {
                writer.WriteNumber("absolute_error", result.AbsoluteError);
                writer.WriteNumber("squared_error", result.SquaredError);
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteStringOrNull(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>Sends what <paramref name="write"/> writes as JSON with <paramref name="status"/>.</summary>
    internal static async Task SendAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        using var body = new PooledBufferWriter(1024);
        using (var writer = new Utf8JsonWriter(body))
        {
            write(writer);
        }

        await ScoringResponses.SendAsync(context, body, ScoringResponses.Json, status).ConfigureAwait(false);
    }

    private readonly record struct Item(string RequestId, IReadOnlyList<FeedbackValue> Actuals);
}

using System.Text.Json;
using Slipway.Core.Registry;
using Slipway.Core.Tracking;
using Slipway.Mlflow;
using Slipway.Server.Http;

namespace Slipway.Server.Tracking;

/// <summary>
/// MLflow's <c>GET metrics/get-history</c>. A history can hold hundreds of thousands of points, so the answer is
/// written with a <see cref="Utf8JsonWriter"/> straight into the response pipe, flushed every few thousand points:
/// no message objects, no intermediate strings.
/// </summary>
internal sealed class MetricHistoryEndpoints(IExperimentTracker tracker)
{
    /// <summary>Points written between flushes to the socket; bounds the pipe's buffered bytes to about 300 KB.</summary>
    private const int PointsPerFlush = 4096;

    private static readonly JsonEncodedText MetricsName = JsonEncodedText.Encode("metrics");
    private static readonly JsonEncodedText KeyName = JsonEncodedText.Encode("key");
    private static readonly JsonEncodedText ValueName = JsonEncodedText.Encode("value");
    private static readonly JsonEncodedText TimestampName = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText StepName = JsonEncodedText.Encode("step");
    private static readonly JsonEncodedText NextPageTokenName = JsonEncodedText.Encode("next_page_token");

    public void Map(IEndpointRouteBuilder routes) => routes.MapGet(MlflowPaths.GetMetricHistory, GetHistoryAsync);

    /// <summary>Writes one point as MLflow does; NaN and ±Infinity become the strings protobuf's JSON uses.</summary>
    internal static void WritePoint(Utf8JsonWriter writer, JsonEncodedText key, Metric metric)
    {
        writer.WriteStartObject();
        writer.WriteString(KeyName, key);
        var value = metric.Value;
        if (double.IsFinite(value))
        {
            writer.WriteNumber(ValueName, value);
        }
        else
        {
            writer.WriteString(ValueName, double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }

        writer.WriteNumber(TimestampName, metric.Timestamp);
        writer.WriteNumber(StepName, metric.Step);
        writer.WriteEndObject();
    }

    private async Task GetHistoryAsync(HttpContext context)
    {
        var runId = TrackingWireMapper.RunIdOf(JsonBody.Query(context, "run_id"), JsonBody.Query(context, "run_uuid"));
        var metricKey = JsonBody.Query(context, "metric_key");
        RegistryValidation.Required(metricKey, "metric_key");
        var page = await tracker.GetMetricHistoryAsync(
            runId,
            metricKey!,
            JsonBody.QueryOptionalInt(context, "max_results"),
            JsonBody.Query(context, "page_token"),
            context.RequestAborted);

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        var body = context.Response.BodyWriter;
        using var writer = new Utf8JsonWriter(body, new JsonWriterOptions { SkipValidation = true });
        writer.WriteStartObject();
        var points = page.Items;
        if (points.Count > 0)
        {
            // Every point of a history has the same key: encode it once.
            var key = JsonEncodedText.Encode(metricKey!);
            writer.WriteStartArray(MetricsName);
            for (var i = 0; i < points.Count; i++)
            {
                WritePoint(writer, key, points[i]);
                if (i % PointsPerFlush == PointsPerFlush - 1)
                {
                    // The writer only commits to the pipe; the pipe's flush sends (and applies back-pressure).
                    writer.Flush();
                    await body.FlushAsync(context.RequestAborted);
                }
            }

            writer.WriteEndArray();
        }

        if (!string.IsNullOrEmpty(page.NextPageToken))
        {
            writer.WriteString(NextPageTokenName, page.NextPageToken);
        }

        writer.WriteEndObject();
        writer.Flush();
        await body.FlushAsync(context.RequestAborted);
    }
}

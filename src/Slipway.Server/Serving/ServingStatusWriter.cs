using System.Text.Json;
using Slipway.Serving.Hosting;

namespace Slipway.Server.Serving;

/// <summary>
/// Writes <c>GET /api/slipway/serving/models</c>: whether the host is ready and, per model, the live version, the
/// last swap, the last rejected version and the batching counters (snake_case, times in ISO 8601 UTC).
/// </summary>
internal static class ServingStatusWriter
{
    public static void Write(PooledBufferWriter body, ModelHost host)
    {
        using var writer = new Utf8JsonWriter(body);
        writer.WriteStartObject();
        writer.WriteBoolean("ready"u8, host.IsReady);
        writer.WriteStartArray("models"u8);
        foreach (var model in host.Models)
        {
            var status = model.GetStatus();
            writer.WriteStartObject();
            writer.WriteString("name"u8, status.Name);
            writer.WriteString("uri"u8, status.Uri);
            if (status.LiveVersion is null)
            {
                writer.WriteNull("live_version"u8);
            }
            else
            {
                writer.WriteString("live_version"u8, status.LiveVersion);
            }

            writer.WriteBoolean("ready"u8, status.Ready);
            if (status.LastSwap is { } swap)
            {
                writer.WriteString("last_swap"u8, swap);
            }
            else
            {
                writer.WriteNull("last_swap"u8);
            }

            writer.WriteNumber("swaps"u8, status.Swaps);
            if (status.LastFailure is { } failure)
            {
                writer.WriteStartObject("last_failure"u8);
                writer.WriteString("version"u8, failure.Version);
                writer.WriteString("message"u8, failure.Message);
                writer.WriteString("at"u8, failure.At);
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteNull("last_failure"u8);
            }

            writer.WriteNumber("failures"u8, status.Failures);
            var batching = status.Batching;
            writer.WriteStartObject("batching"u8);
            writer.WriteBoolean("enabled"u8, model.Options.Batching);
            writer.WriteNumber("max_batch_rows"u8, model.Options.MaxBatchRows);
            writer.WriteNumber("queue_limit"u8, model.Options.QueueLimit);
            writer.WriteNumber("runs"u8, batching.Runs);
            writer.WriteNumber("requests"u8, batching.Requests);
            writer.WriteNumber("rows"u8, batching.Rows);
            writer.WriteNumber("merged_runs"u8, batching.MergedRuns);
            writer.WriteNumber("largest_run_requests"u8, batching.LargestRunRequests);
            writer.WriteNumber("queued"u8, batching.Queued);
            writer.WriteNumber("rejected"u8, batching.Rejected);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}

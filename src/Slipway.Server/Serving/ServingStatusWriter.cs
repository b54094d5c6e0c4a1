using System.Text.Json;
using Slipway.Deploy.Canary;
using Slipway.Serving.Hosting;

namespace Slipway.Server.Serving;

/// <summary>
/// Writes <c>GET /api/slipway/serving/models</c>: whether the host is ready and, per model, the live version, the
/// last swap, the last rejected version, the batching counters and the alias's traffic split with the canary
/// controller's counts and verdict (snake_case, times in ISO 8601 UTC).
/// </summary>
internal static class ServingStatusWriter
{
    public static void Write(PooledBufferWriter body, ModelHost host, CanaryController? canary = null)
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
            WriteSplit(writer, model, canary);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteSplit(Utf8JsonWriter writer, ServedModel model, CanaryController? canary)
    {
        if (model.Split is not { } split)
        {
            writer.WriteNull("split"u8);
            return;
        }

        var state = split.State;
        writer.WriteStartObject("split"u8);
        writer.WriteNumber("promotion_id"u8, state.PromotionId);
        WriteVersion(writer, "canary_version"u8, state.CanaryVersion);
        writer.WriteBoolean("canary_live"u8, split.CanaryLive);
        writer.WriteNumber("canary_weight"u8, state.CanaryWeight);
        writer.WriteString("sticky_key"u8, state.StickyKey);
        if (model.CanaryFailure is { } failure)
        {
            writer.WriteString("canary_failure"u8, failure.Message);
        }

        WriteVersion(writer, "shadow_version"u8, state.ShadowVersion);
        writer.WriteBoolean("shadow_live"u8, split.ShadowLive);
        writer.WriteNumber("shadow_share"u8, state.ShadowShare);
        if (canary?.GetStatistics(model.Name) is { } statistics && statistics.State.PromotionId == state.PromotionId)
        {
            WriteVariant(writer, "stable"u8, statistics.Stable);
            WriteVariant(writer, "canary"u8, statistics.Canary);
            var shadow = statistics.Shadow;
            writer.WriteStartObject("shadow"u8);
            writer.WriteNumber("scored"u8, shadow.Scored);
            writer.WriteNumber("errors"u8, shadow.Errors);
            writer.WriteNumber("dropped"u8, shadow.Dropped);
            WriteOptional(writer, "mean_agreement"u8, shadow.MeanAgreement);
            WriteOptional(writer, "mean_absolute_difference"u8, shadow.MeanAbsoluteDifference);
            writer.WriteEndObject();
            if (statistics.Verdict is { } verdict)
            {
                writer.WriteStartObject("verdict"u8);
                writer.WriteString("decision"u8, verdict.Decision switch
                {
                    CanaryDecision.Promote => "promote",
                    CanaryDecision.RollBack => "roll_back",
                    _ => "wait",
                });
                writer.WriteString("reason"u8, verdict.Reason);
                writer.WriteEndObject();
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteVariant(Utf8JsonWriter writer, ReadOnlySpan<byte> name, VariantSnapshot snapshot)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("requests"u8, snapshot.Requests);
        writer.WriteNumber("errors"u8, snapshot.Errors);
        writer.WriteNumber("p99_seconds"u8, snapshot.P99Seconds);
        writer.WriteEndObject();
    }

    private static void WriteVersion(Utf8JsonWriter writer, ReadOnlySpan<byte> name, long? version)
    {
        if (version is { } v)
        {
            writer.WriteString(name, v.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteOptional(Utf8JsonWriter writer, ReadOnlySpan<byte> name, double? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}

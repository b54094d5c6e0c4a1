using System.Text.Json;

namespace Slipway.Core.Deployment;

/// <summary>
/// Slipway's own webhook events about deployments, beside MLflow's registry events: their type names and payloads.
/// </summary>
public static class DeploymentEvents
{
    /// <summary>A promotion passed its gates and moved the alias.</summary>
    public const string PromotionPassed = "promotion.passed";

    /// <summary>A promotion failed a gate; the alias did not move.</summary>
    public const string PromotionFailed = "promotion.failed";

    /// <summary>A rollback moved the alias back (also when forced).</summary>
    public const string RollbackCompleted = "rollback.completed";

    /// <summary>A rollback was refused on input-contract problems.</summary>
    public const string RollbackRefused = "rollback.refused";

    /// <summary>A canary or shadow started.</summary>
    public const string CanaryStarted = "canary.started";

    /// <summary>The canary (or shadow) was promoted.</summary>
    public const string CanaryPromoted = "canary.promoted";

    /// <summary>The canary (or shadow) was stopped; the stable version stays.</summary>
    public const string CanaryRolledBack = "canary.rolled_back";

    /// <summary>Dataset drift was detected on a served version.</summary>
    public const string DriftAlert = "drift.alert";

    /// <summary>Every Slipway event type, for webhook subscriptions.</summary>
    public static IReadOnlyList<string> All { get; } =
        [PromotionPassed, PromotionFailed, RollbackCompleted, RollbackRefused, CanaryStarted, CanaryPromoted, CanaryRolledBack, DriftAlert];

    /// <summary>The event a promotion record fires, or null (dry runs fire none).</summary>
    public static string? For(PromotionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return (record.Kind, record.Outcome) switch
        {
            (_, PromotionOutcome.DryRun) => null,
            (PromotionKind.Promote, PromotionOutcome.Passed) => PromotionPassed,
            (PromotionKind.Promote, PromotionOutcome.Failed) => PromotionFailed,
            (PromotionKind.Promote, PromotionOutcome.CanaryStarted) => CanaryStarted,
            (PromotionKind.Rollback, PromotionOutcome.Failed) => RollbackRefused,
            (PromotionKind.Rollback, _) => RollbackCompleted,
            (PromotionKind.CanaryPromote, _) => CanaryPromoted,
            (PromotionKind.CanaryRollback, _) => CanaryRolledBack,
            _ => null,
        };
    }

    /// <summary>The event's <c>data</c> object: the record's fields in snake case.</summary>
    public static string Payload(PromotionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("promotion_id", record.Id);
            json.WriteString("name", record.Name);
            json.WriteString("alias", record.Alias);
            json.WriteString("kind", Snake(record.Kind.ToString()));
            WriteVersion(json, "from_version", record.FromVersion);
            WriteVersion(json, "to_version", record.ToVersion);
            json.WriteString("outcome", Snake(record.Outcome.ToString()));
            json.WriteStartArray("failed_gates");
            foreach (var gate in record.FailedGates)
            {
                json.WriteStartObject();
                json.WriteString("gate", gate.Gate);
                json.WriteString("name", gate.Name);
                json.WriteString("detail", gate.Detail);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("problems");
            foreach (var problem in record.Problems)
            {
                json.WriteStringValue(problem.ToString());
            }

            json.WriteEndArray();
            json.WriteString("user_id", record.UserId);
            json.WriteString("reason", record.Reason);
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary><c>CanaryStarted</c> → <c>canary_started</c>.</summary>
    public static string Snake(string pascal)
    {
        ArgumentNullException.ThrowIfNull(pascal);
        var text = new System.Text.StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(pascal[i]));
        }

        return text.ToString();
    }

    // MLflow writes versions as strings in its payloads; Slipway's events do the same.
    private static void WriteVersion(Utf8JsonWriter json, string name, long? version)
    {
        if (version is { } v)
        {
            json.WriteString(name, v.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            json.WriteNull(name);
        }
    }
}

using System.Text;
using System.Text.Json;

namespace Slipway.Core.Deployment;

/// <summary>
/// JSON forms of gate results, contract problems and canary policies, as stored in the metadata database and sent by
/// the <c>/api/slipway/</c> API. Field names are snake case; enums are their snake-case names.
/// </summary>
public static class DeploymentJson
{
    /// <summary>Gate results as a JSON array.</summary>
    public static string Gates(IReadOnlyList<GateResult> gates) => Write(json => WriteGates(json, gates));

    /// <summary>Contract problems as a JSON array.</summary>
    public static string Problems(IReadOnlyList<ContractProblem> problems) => Write(json => WriteProblems(json, problems));

    /// <summary>A canary policy as a JSON object.</summary>
    public static string Policy(CanaryPolicy policy) => Write(json => WritePolicy(json, policy));

    /// <summary>Writes gate results as an array.</summary>
    public static void WriteGates(Utf8JsonWriter json, IReadOnlyList<GateResult> gates)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(gates);
        json.WriteStartArray();
        foreach (var gate in gates)
        {
            json.WriteStartObject();
            json.WriteString("gate", gate.Gate);
            json.WriteString("name", gate.Name);
            json.WriteString("outcome", DeploymentEvents.Snake(gate.Outcome.ToString()));
            json.WriteString("detail", gate.Detail);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>Writes contract problems as an array.</summary>
    public static void WriteProblems(Utf8JsonWriter json, IReadOnlyList<ContractProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(problems);
        json.WriteStartArray();
        foreach (var problem in problems)
        {
            json.WriteStartObject();
            json.WriteString("kind", DeploymentEvents.Snake(problem.Kind.ToString()));
            json.WriteString("input", problem.Input);
            json.WriteString("expected", problem.Expected);
            json.WriteString("actual", problem.Actual);
            json.WriteString("source", problem.Source);
            json.WriteString("message", problem.ToString());
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>Writes a canary policy as an object.</summary>
    public static void WritePolicy(Utf8JsonWriter json, CanaryPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(policy);
        json.WriteStartObject();
        json.WriteNumber("window_seconds", policy.WindowSeconds);
        json.WriteNumber("min_requests", policy.MinRequests);
        json.WriteNumber("max_error_rate_increase", policy.MaxErrorRateIncrease);
        json.WriteNumber("max_latency_ratio", policy.MaxLatencyRatio);
        json.WriteBoolean("auto_promote", policy.AutoPromote);
        json.WriteBoolean("auto_rollback", policy.AutoRollback);
        json.WriteEndObject();
    }

    /// <summary>Writes a promotion record as an object.</summary>
    public static void WritePromotion(Utf8JsonWriter json, PromotionRecord record)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(record);
        json.WriteStartObject();
        json.WriteNumber("id", record.Id);
        json.WriteString("name", record.Name);
        json.WriteString("alias", record.Alias);
        json.WriteString("kind", DeploymentEvents.Snake(record.Kind.ToString()));
        WriteNullable(json, "from_version", record.FromVersion);
        json.WriteNumber("to_version", record.ToVersion);
        WriteNullable(json, "policy_revision", record.PolicyRevision);
        json.WriteString("outcome", DeploymentEvents.Snake(record.Outcome.ToString()));
        json.WritePropertyName("gates");
        WriteGates(json, record.Gates);
        json.WritePropertyName("problems");
        WriteProblems(json, record.Problems);
        json.WriteString("user_id", record.UserId);
        json.WriteString("reason", record.Reason);
        json.WriteNumber("created_at", record.CreatedAt);
        json.WriteEndObject();
    }

    /// <summary>Reads a promotion record written by <see cref="WritePromotion"/>.</summary>
    public static PromotionRecord ReadPromotion(JsonElement value) =>
        new(
            Long(value, "id") ?? 0,
            Text(value, "name"),
            Text(value, "alias"),
            ParseEnum<PromotionKind>(Text(value, "kind")),
            Long(value, "from_version"),
            Long(value, "to_version") ?? 0,
            Long(value, "policy_revision"),
            ParseEnum<PromotionOutcome>(Text(value, "outcome")),
            value.TryGetProperty("gates", out var gates) ? ReadGates(gates) : [],
            value.TryGetProperty("problems", out var problems) ? ReadProblems(problems) : [],
            Text(value, "user_id"),
            Text(value, "reason"),
            Long(value, "created_at") ?? 0);

    /// <summary>Writes a gate policy revision as an object.</summary>
    public static void WritePolicyRevision(Utf8JsonWriter json, GatePolicyRevision revision)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(revision);
        json.WriteStartObject();
        json.WriteString("name", revision.Name);
        json.WriteString("alias", revision.Alias);
        json.WriteNumber("revision", revision.Revision);
        json.WriteString("document", revision.Document);
        json.WriteBoolean("protected", revision.Protected);
        json.WriteString("user_id", revision.UserId);
        json.WriteNumber("created_at", revision.CreatedAt);
        json.WriteEndObject();
    }

    /// <summary>Reads a gate policy revision written by <see cref="WritePolicyRevision"/>.</summary>
    public static GatePolicyRevision ReadPolicyRevision(JsonElement value) =>
        new(
            Text(value, "name"),
            Text(value, "alias"),
            Long(value, "revision") ?? 0,
            Text(value, "document"),
            Bool(value, "protected") ?? false,
            Text(value, "user_id"),
            Long(value, "created_at") ?? 0);

    /// <summary>Writes a traffic split as an object.</summary>
    public static void WriteDeployment(Utf8JsonWriter json, DeploymentState state)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(state);
        json.WriteStartObject();
        json.WriteString("name", state.Name);
        json.WriteString("alias", state.Alias);
        WriteNullable(json, "canary_version", state.CanaryVersion);
        json.WriteNumber("canary_weight", state.CanaryWeight);
        json.WriteString("sticky_key", state.StickyKey);
        WriteNullable(json, "shadow_version", state.ShadowVersion);
        json.WriteNumber("shadow_share", state.ShadowShare);
        json.WritePropertyName("policy");
        WritePolicy(json, state.Policy);
        json.WriteNumber("started_at", state.StartedAt);
        json.WriteNumber("promotion_id", state.PromotionId);
        json.WriteEndObject();
    }

    /// <summary>Reads a traffic split written by <see cref="WriteDeployment"/>.</summary>
    public static DeploymentState ReadDeployment(JsonElement value) =>
        new(
            Text(value, "name"),
            Text(value, "alias"),
            Long(value, "canary_version"),
            Number(value, "canary_weight") ?? 0,
            Text(value, "sticky_key"),
            Long(value, "shadow_version"),
            Number(value, "shadow_share") ?? 0,
            value.TryGetProperty("policy", out var policy) ? ReadPolicy(policy) : new CanaryPolicy(),
            Long(value, "started_at") ?? 0,
            Long(value, "promotion_id") ?? 0);

    /// <summary>Serializes with a writer callback into a string.</summary>
    public static string Write(Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads gate results written by <see cref="WriteGates"/>.</summary>
    public static IReadOnlyList<GateResult> ReadGates(JsonElement array) =>
        [.. array.EnumerateArray().Select(g => new GateResult(
            Text(g, "gate"),
            Text(g, "name"),
            ParseEnum<GateOutcome>(Text(g, "outcome")),
            Text(g, "detail")))];

    /// <summary>Reads contract problems written by <see cref="WriteProblems"/>.</summary>
    public static IReadOnlyList<ContractProblem> ReadProblems(JsonElement array) =>
        [.. array.EnumerateArray().Select(p => new ContractProblem(
            ParseEnum<ContractProblemKind>(Text(p, "kind")),
            Text(p, "input"),
            Text(p, "expected"),
            Text(p, "actual"),
            Text(p, "source")))];

    /// <summary>Reads a canary policy written by <see cref="WritePolicy"/>; missing fields take their defaults.</summary>
    public static CanaryPolicy ReadPolicy(JsonElement value)
    {
        var defaults = new CanaryPolicy();
        return new CanaryPolicy(
            Number(value, "window_seconds") ?? defaults.WindowSeconds,
            (long)(Number(value, "min_requests") ?? defaults.MinRequests),
            Number(value, "max_error_rate_increase") ?? defaults.MaxErrorRateIncrease,
            Number(value, "max_latency_ratio") ?? defaults.MaxLatencyRatio,
            Bool(value, "auto_promote") ?? defaults.AutoPromote,
            Bool(value, "auto_rollback") ?? defaults.AutoRollback);
    }

    /// <summary>Parses a snake-case enum name (<c>canary_started</c>).</summary>
    public static T ParseEnum<T>(string snake)
        where T : struct, Enum =>
        Enum.TryParse<T>(snake.Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true, out var value)
            ? value
            : throw new FormatException($"'{snake}' is not a {typeof(T).Name}.");

    private static void WriteNullable(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static long? Long(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;

    private static double? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static bool? Bool(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;
}

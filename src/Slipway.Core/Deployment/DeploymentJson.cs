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

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;

    private static double? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static bool? Bool(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;
}

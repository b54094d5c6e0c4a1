using System.Text.Json.Serialization;

namespace Slipway.Mlflow.Contracts.Tracking;

/// <summary>
/// MLflow's <c>Metric</c> message. The value is a JSON number, except NaN and ±Infinity, which JSON cannot carry as
/// numbers: they travel as the strings <c>"NaN"</c>, <c>"Infinity"</c> and <c>"-Infinity"</c>, as protobuf's JSON does.
/// </summary>
public sealed class MetricMessage
{
    /// <summary>Metric name.</summary>
    public string? Key { get; set; }

    /// <summary>The value; null only when a request left it out.</summary>
    [JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals | JsonNumberHandling.AllowReadingFromString)]
    public double? Value { get; set; }

    /// <summary>Milliseconds since the Unix epoch.</summary>
    public long? Timestamp { get; set; }

    /// <summary>Training step; 0 when left out.</summary>
    public long? Step { get; set; }
}

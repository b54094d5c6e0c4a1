using System.Text.Json.Serialization;

namespace Slipway.Mlflow.Contracts.Tracking;

/// <summary>Body of <c>POST runs/log-metric</c>.</summary>
public sealed class LogMetricRequest
{
    /// <summary>The run.</summary>
    public string? RunId { get; set; }

    /// <summary>Deprecated spelling of <see cref="RunId"/>, used when that is absent.</summary>
    public string? RunUuid { get; set; }

    /// <summary>Required: metric name.</summary>
    public string? Key { get; set; }

    /// <summary>Required: the value; a number, or <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>.</summary>
    [JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals | JsonNumberHandling.AllowReadingFromString)]
    public double? Value { get; set; }

    /// <summary>Required: milliseconds since the Unix epoch.</summary>
    public long? Timestamp { get; set; }

    /// <summary>Training step; 0 when left out.</summary>
    public long? Step { get; set; }
}

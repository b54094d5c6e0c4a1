namespace Slipway.Core.Tracking;

/// <summary>One logged value of a metric.</summary>
/// <param name="Key">Metric name.</param>
/// <param name="Value">The value. NaN round-trips as NaN; ±Infinity is stored as ±<see cref="double.MaxValue"/>, as MLflow stores it.</param>
/// <param name="Timestamp">Milliseconds since the Unix epoch.</param>
/// <param name="Step">Training step; 0 when not given.</param>
public sealed record Metric(string Key, double Value, long Timestamp, long Step);

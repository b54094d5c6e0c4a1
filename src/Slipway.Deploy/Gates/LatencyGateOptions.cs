namespace Slipway.Deploy.Gates;

/// <summary>The latency gate (<c>gates.latency</c>): the p99 of single-row inferences on replayed inputs must stay within a budget.</summary>
/// <param name="P99Milliseconds">The budget for the 99th percentile, in milliseconds (<c>p99_ms</c>, required, positive).</param>
/// <param name="Runs">Single-row inferences timed after a warm-up (<c>runs</c>, default 200).</param>
public sealed record LatencyGateOptions(double P99Milliseconds, int Runs = 200);

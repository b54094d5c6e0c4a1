namespace Slipway.Cli.Output;

// Part of the --output json contract: fields are only ever added, never renamed or removed.
/// <summary>The latest value of a metric.</summary>
/// <param name="Value">The value.</param>
/// <param name="Step">The training step it was logged at (0 when none was given).</param>
/// <param name="Timestamp">Milliseconds since the Unix epoch.</param>
public sealed record MetricView(double Value, long Step, long Timestamp);

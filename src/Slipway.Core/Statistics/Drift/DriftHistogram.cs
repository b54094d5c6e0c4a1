namespace Slipway.Core.Statistics.Drift;

/// <summary>
/// The reference and current distributions of one feature over the same bins, as fractions of each side's non-missing
/// values: what a report draws side by side.
/// </summary>
/// <param name="Bins">One label per bin: <c>[a, b)</c> ranges for numbers, the category for categories.</param>
/// <param name="Reference">The reference's fraction in each bin (sums to 1 unless the side is empty).</param>
/// <param name="Current">The current data's fraction in each bin.</param>
public sealed record DriftHistogram(IReadOnlyList<string> Bins, IReadOnlyList<double> Reference, IReadOnlyList<double> Current);

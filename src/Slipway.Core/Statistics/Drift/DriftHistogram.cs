using System.Globalization;

namespace Slipway.Core.Statistics.Drift;

/// <summary>
/// The reference and current distributions of one feature over the same bins, as fractions of each side's non-missing
/// values: what a report draws side by side.
/// </summary>
/// <param name="Bins">One label per bin: <c>[a, b)</c> ranges for numbers, the category for categories.</param>
/// <param name="Reference">The reference's fraction in each bin (sums to 1 unless the side is empty).</param>
/// <param name="Current">The current data's fraction in each bin.</param>
public sealed record DriftHistogram(IReadOnlyList<string> Bins, IReadOnlyList<double> Reference, IReadOnlyList<double> Current)
{
    /// <summary>The histogram of both sides' counts over the same bins: each side's counts as fractions of its own total (all zero when a side is empty).</summary>
    public static DriftHistogram FromCounts(IReadOnlyList<string> bins, double[] referenceCounts, double[] currentCounts) =>
        new(bins, Shares(referenceCounts), Shares(currentCounts));

    /// <summary>The label of the numeric bin from <paramref name="lower"/> to <paramref name="upper"/>: <c>[a, b)</c>, or <c>[a, b]</c> for the last bin, in 6 significant digits.</summary>
    public static string RangeLabel(double lower, double upper, bool last) =>
        string.Create(CultureInfo.InvariantCulture, $"[{lower:G6}, {upper:G6}{(last ? "]" : ")")}");

    private static double[] Shares(double[] counts)
    {
        var total = 0.0;
        foreach (var count in counts)
        {
            total += count;
        }

        var shares = new double[counts.Length];
        for (var i = 0; i < counts.Length && total > 0; i++)
        {
            shares[i] = counts[i] / total;
        }

        return shares;
    }
}

namespace Slipway.Core.Statistics.Profiles;

/// <summary>
/// The profiles of every feature over one stretch of rows: an hour or a day of traffic, a window made of merged hourly
/// profiles, or the reference data. Immutable.
/// </summary>
/// <param name="Start">The start of the period the rows came from (inclusive).</param>
/// <param name="End">The end of the period (exclusive).</param>
/// <param name="Rows">Rows profiled, rows with missing values included.</param>
/// <param name="Features">One profile per feature, in the model's column order.</param>
public sealed record DatasetProfile(DateTimeOffset Start, DateTimeOffset End, long Rows, IReadOnlyList<FeatureProfile> Features)
{
    /// <summary>The feature called <paramref name="name"/> (ordinal comparison); null when there is none.</summary>
    public FeatureProfile? Find(string name)
    {
        foreach (var feature in Features)
        {
            if (string.Equals(feature.Name, name, StringComparison.Ordinal))
            {
                return feature;
            }
        }

        return null;
    }

    /// <summary>
    /// Both profiles' rows together: the period from the earlier start to the later end, rows added, features of the
    /// same name merged. A feature only one side has is kept as it is (a window over a schema change).
    /// </summary>
    /// <exception cref="ArgumentException">A feature's kind or numeric bin edges differ between the two.</exception>
    public static DatasetProfile Merge(DatasetProfile a, DatasetProfile b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var features = new List<FeatureProfile>(a.Features.Count);
        foreach (var feature in a.Features)
        {
            var match = b.Find(feature.Name);
            features.Add(match is null ? feature : FeatureProfile.Merge(feature, match));
        }

        foreach (var feature in b.Features)
        {
            if (a.Find(feature.Name) is null)
            {
                features.Add(feature);
            }
        }

        var start = a.Start <= b.Start ? a.Start : b.Start;
        var end = a.End >= b.End ? a.End : b.End;
        return new DatasetProfile(start, end, a.Rows + b.Rows, features);
    }

    /// <summary>All <paramref name="profiles"/> merged in order (see <see cref="Merge(DatasetProfile, DatasetProfile)"/>); null when there are none.</summary>
    public static DatasetProfile? Merge(IEnumerable<DatasetProfile> profiles)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        DatasetProfile? merged = null;
        foreach (var profile in profiles)
        {
            merged = merged is null ? profile : Merge(merged, profile);
        }

        return merged;
    }
}

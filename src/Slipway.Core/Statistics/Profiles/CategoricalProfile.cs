namespace Slipway.Core.Statistics.Profiles;

/// <summary>
/// The summary of one categorical feature over some rows: the frequency of each category seen (up to a cap), the rest
/// counted together as other, and missing values. Immutable; built by <see cref="CategoricalProfileBuilder"/> or rebuilt
/// from stored values with the constructor.
/// </summary>
public sealed record CategoricalProfile
{
    /// <summary>A profile from its parts (what a reader of stored profiles calls).</summary>
    /// <param name="categories">The distinct categories kept, no duplicates.</param>
    /// <param name="counts">Each category's count, in the same order.</param>
    /// <param name="other">Values of categories beyond the cap.</param>
    /// <param name="missing">Missing values (null).</param>
    public CategoricalProfile(IReadOnlyList<string> categories, IReadOnlyList<long> counts, long other, long missing)
    {
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentOutOfRangeException.ThrowIfNegative(other);
        ArgumentOutOfRangeException.ThrowIfNegative(missing);
        if (categories.Count != counts.Count)
        {
            throw new ArgumentException($"{categories.Count} categories but {counts.Count} counts.", nameof(counts));
        }

        long total = other;
        for (var i = 0; i < counts.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(categories[i], nameof(categories));
            if (counts[i] < 0)
            {
                throw new ArgumentException($"Category '{categories[i]}' has a negative count.", nameof(counts));
            }

            total += counts[i];
        }

        Categories = categories;
        Counts = counts;
        Other = other;
        Missing = missing;
        Count = total;
    }

    /// <summary>The categories kept, most frequent first (ties in ordinal order) when built by the builder.</summary>
    public IReadOnlyList<string> Categories { get; }

    /// <summary>Each category's count, in the order of <see cref="Categories"/>.</summary>
    public IReadOnlyList<long> Counts { get; }

    /// <summary>Values of categories that came after the cap was reached.</summary>
    public long Other { get; }

    /// <summary>Missing values (null).</summary>
    public long Missing { get; }

    /// <summary>Non-missing values: the categories' counts plus <see cref="Other"/>.</summary>
    public long Count { get; }

    /// <summary>Values, missing ones included.</summary>
    public long Rows => Count + Missing;

    /// <summary>The count of <paramref name="category"/>; 0 when it is not kept.</summary>
    public long CountOf(string category)
    {
        for (var i = 0; i < Categories.Count; i++)
        {
            if (string.Equals(Categories[i], category, StringComparison.Ordinal))
            {
                return Counts[i];
            }
        }

        return 0;
    }

    /// <summary>
    /// The profile of both profiles' values together: counts of the same category add up; when more than
    /// <paramref name="cap"/> categories result, the most frequent are kept and the rest join <see cref="Other"/>.
    /// </summary>
    /// <param name="a">One profile.</param>
    /// <param name="b">The other.</param>
    /// <param name="cap">The most categories kept (1,000 by default).</param>
    public static CategoricalProfile Merge(CategoricalProfile a, CategoricalProfile b, int cap = CategoricalProfileBuilder.DefaultCap)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentOutOfRangeException.ThrowIfLessThan(cap, 0);
        var union = new Dictionary<string, long>(a.Categories.Count + b.Categories.Count, StringComparer.Ordinal);
        AddAll(union, a);
        AddAll(union, b);
        var other = a.Other + b.Other;
        var ordered = CategoricalProfileBuilder.MostFrequentFirst(union);
        var kept = Math.Min(cap, ordered.Length);
        var categories = new string[kept];
        var counts = new long[kept];
        for (var i = 0; i < ordered.Length; i++)
        {
            if (i < kept)
            {
                categories[i] = ordered[i].Key;
                counts[i] = ordered[i].Value;
            }
            else
            {
                other += ordered[i].Value;
            }
        }

        return new CategoricalProfile(categories, counts, other, a.Missing + b.Missing);
    }

    private static void AddAll(Dictionary<string, long> union, CategoricalProfile profile)
    {
        for (var i = 0; i < profile.Categories.Count; i++)
        {
            union[profile.Categories[i]] = union.GetValueOrDefault(profile.Categories[i]) + profile.Counts[i];
        }
    }
}

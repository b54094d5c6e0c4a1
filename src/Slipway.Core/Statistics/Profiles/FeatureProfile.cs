using Slipway.Core.Statistics.Drift;

namespace Slipway.Core.Statistics.Profiles;

/// <summary>One feature's profile: exactly one of <see cref="Numeric"/> and <see cref="Categorical"/> is set, by <see cref="Kind"/>.</summary>
public sealed record FeatureProfile
{
    /// <summary>A feature profile from its parts (what a reader of stored profiles calls).</summary>
    /// <param name="name">The feature name.</param>
    /// <param name="kind">Numbers or categories.</param>
    /// <param name="numeric">The numeric profile; set exactly when <paramref name="kind"/> is numeric.</param>
    /// <param name="categorical">The categorical profile; set exactly when <paramref name="kind"/> is categorical.</param>
    /// <param name="uniqueCount">Exact distinct non-missing values when known (reference profiles), else null.</param>
    public FeatureProfile(string name, FeatureKind kind, NumericProfile? numeric, CategoricalProfile? categorical, long? uniqueCount = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if ((kind == FeatureKind.Numeric) != (numeric is not null) || (kind == FeatureKind.Categorical) != (categorical is not null))
        {
            throw new ArgumentException($"Feature '{name}' is {kind}: it needs exactly the {kind.ToString().ToLowerInvariant()} profile.", nameof(kind));
        }

        if (uniqueCount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(uniqueCount), uniqueCount, "A unique count is not negative.");
        }

        Name = name;
        Kind = kind;
        Numeric = numeric;
        Categorical = categorical;
        UniqueCount = uniqueCount;
    }

    /// <summary>The feature name.</summary>
    public string Name { get; }

    /// <summary>Numbers or categories.</summary>
    public FeatureKind Kind { get; }

    /// <summary>The numeric profile; null for categories.</summary>
    public NumericProfile? Numeric { get; }

    /// <summary>The categorical profile; null for numbers.</summary>
    public CategoricalProfile? Categorical { get; }

    /// <summary>
    /// Exact distinct non-missing values when known (reference profiles built from raw data); null otherwise (streaming
    /// profiles and merges).
    /// </summary>
    public long? UniqueCount { get; }

    /// <summary>Non-missing values.</summary>
    public long Count => Numeric?.Count ?? Categorical!.Count;

    /// <summary>Missing values.</summary>
    public long Missing => Numeric?.Missing ?? Categorical!.Missing;

    /// <summary>The profile of both features' values together (same name and kind); the unique count becomes unknown.</summary>
    /// <exception cref="ArgumentException">Names, kinds or numeric bin edges differ.</exception>
    public static FeatureProfile Merge(FeatureProfile a, FeatureProfile b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!string.Equals(a.Name, b.Name, StringComparison.Ordinal) || a.Kind != b.Kind)
        {
            throw new ArgumentException($"Cannot merge feature '{a.Name}' ({a.Kind}) with '{b.Name}' ({b.Kind}).", nameof(b));
        }

        return a.Kind == FeatureKind.Numeric
            ? new FeatureProfile(a.Name, a.Kind, NumericProfile.Merge(a.Numeric!, b.Numeric!), null)
            : new FeatureProfile(a.Name, a.Kind, null, CategoricalProfile.Merge(a.Categorical!, b.Categorical!));
    }
}

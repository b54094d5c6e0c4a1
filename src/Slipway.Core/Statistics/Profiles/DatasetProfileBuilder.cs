using Slipway.Core.Statistics.Drift;

namespace Slipway.Core.Statistics.Profiles;

/// <summary>
/// Accumulates a <see cref="DatasetProfile"/>: one <see cref="NumericProfileBuilder"/> or
/// <see cref="CategoricalProfileBuilder"/> per feature, reached by index (the fast path) or name, and a row count.
/// Numeric features take their bin edges from the reference profile when one is given. Mutable and not thread-safe.
/// </summary>
public sealed class DatasetProfileBuilder
{
    private readonly ProfileFeature[] _features;
    private readonly NumericProfileBuilder?[] _numeric;
    private readonly CategoricalProfileBuilder?[] _categorical;
    private readonly Dictionary<string, int> _indexes = new(StringComparer.Ordinal);

    /// <summary>A builder for <paramref name="features"/>.</summary>
    /// <param name="features">The features, in column order; names unique.</param>
    /// <param name="reference">
    /// The reference profile: each numeric feature found in it (same name, numeric) uses its bin edges; others get no
    /// histogram. Null for no histograms.
    /// </param>
    /// <param name="categoryCap">The most distinct categories each categorical feature keeps (1,000 by default).</param>
    /// <param name="sketchK">The quantile sketches' accuracy parameter (200 by default).</param>
    public DatasetProfileBuilder(
        IReadOnlyList<ProfileFeature> features,
        DatasetProfile? reference = null,
        int categoryCap = CategoricalProfileBuilder.DefaultCap,
        int sketchK = QuantileSketch.DefaultK)
    {
        ArgumentNullException.ThrowIfNull(features);
        _features = new ProfileFeature[features.Count];
        _numeric = new NumericProfileBuilder?[features.Count];
        _categorical = new CategoricalProfileBuilder?[features.Count];
        for (var i = 0; i < features.Count; i++)
        {
            var feature = features[i];
            ArgumentNullException.ThrowIfNull(feature, nameof(features));
            if (!_indexes.TryAdd(feature.Name, i))
            {
                throw new ArgumentException($"Feature '{feature.Name}' appears twice.", nameof(features));
            }

            _features[i] = feature;
            if (feature.Kind == FeatureKind.Numeric)
            {
                var edges = reference?.Find(feature.Name)?.Numeric?.BinEdges;
                _numeric[i] = new NumericProfileBuilder(edges is null ? null : ToArray(edges), sketchK);
            }
            else
            {
                _categorical[i] = new CategoricalProfileBuilder(categoryCap);
            }
        }
    }

    /// <summary>The features, in column order.</summary>
    public IReadOnlyList<ProfileFeature> Features => _features;

    /// <summary>Rows added with <see cref="AddRows"/>.</summary>
    public long Rows { get; private set; }

    /// <summary>The index of the feature called <paramref name="name"/>; -1 when there is none.</summary>
    public int IndexOf(string name) => _indexes.TryGetValue(name, out var index) ? index : -1;

    /// <summary>The builder of numeric feature number <paramref name="index"/>.</summary>
    /// <exception cref="InvalidOperationException">The feature is categorical.</exception>
    public NumericProfileBuilder Numeric(int index) =>
        _numeric[index] ?? throw new InvalidOperationException($"Feature '{_features[index].Name}' is categorical.");

    /// <summary>The builder of the numeric feature called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">There is no such feature.</exception>
    public NumericProfileBuilder Numeric(string name) => Numeric(Require(name));

    /// <summary>The builder of categorical feature number <paramref name="index"/>.</summary>
    /// <exception cref="InvalidOperationException">The feature is numeric.</exception>
    public CategoricalProfileBuilder Categorical(int index) =>
        _categorical[index] ?? throw new InvalidOperationException($"Feature '{_features[index].Name}' is numeric.");

    /// <summary>The builder of the categorical feature called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">There is no such feature.</exception>
    public CategoricalProfileBuilder Categorical(string name) => Categorical(Require(name));

    /// <summary>Counts <paramref name="rows"/> more rows (a scored batch); feature values are added to the feature builders.</summary>
    public void AddRows(long rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        Rows += rows;
    }

    /// <summary>Adds a stored profile of the same features (rows and every feature found by name).</summary>
    /// <exception cref="ArgumentException">A feature's kind or bin edges differ.</exception>
    public void Merge(DatasetProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        foreach (var feature in profile.Features)
        {
            var index = IndexOf(feature.Name);
            if (index < 0)
            {
                continue;
            }

            if (feature.Kind != _features[index].Kind)
            {
                throw new ArgumentException($"Feature '{feature.Name}' is {feature.Kind} in the profile but {_features[index].Kind} here.", nameof(profile));
            }

            if (feature.Kind == FeatureKind.Numeric)
            {
                _numeric[index]!.Merge(feature.Numeric!);
            }
            else
            {
                _categorical[index]!.Merge(feature.Categorical!);
            }
        }

        Rows += profile.Rows;
    }

    /// <summary>Forgets every value and row, keeping features and bin edges (for the next period).</summary>
    public void Clear()
    {
        Rows = 0;
        for (var i = 0; i < _features.Length; i++)
        {
            _numeric[i]?.Clear();
            _categorical[i]?.Clear();
        }
    }

    /// <summary>The profile of everything added so far, for the period from <paramref name="start"/> to <paramref name="end"/>.</summary>
    public DatasetProfile ToProfile(DateTimeOffset start, DateTimeOffset end)
    {
        var features = new FeatureProfile[_features.Length];
        for (var i = 0; i < features.Length; i++)
        {
            var feature = _features[i];
            features[i] = new FeatureProfile(feature.Name, feature.Kind, _numeric[i]?.ToProfile(), _categorical[i]?.ToProfile());
        }

        return new DatasetProfile(start, end, Rows, features);
    }

    private int Require(string name) =>
        _indexes.TryGetValue(name, out var index) ? index : throw new KeyNotFoundException($"No feature '{name}' is profiled.");

    private static double[] ToArray(IReadOnlyList<double> values)
    {
        var array = new double[values.Count];
        for (var i = 0; i < array.Length; i++)
        {
            array[i] = values[i];
        }

        return array;
    }
}

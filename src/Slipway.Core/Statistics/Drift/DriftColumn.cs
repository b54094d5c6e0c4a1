namespace Slipway.Core.Statistics.Drift;

/// <summary>
/// One feature's raw values, the input of exact drift tests and of reference profiles: numbers (missing as NaN) or
/// categories (missing as null). Exactly one of <see cref="Numbers"/> and <see cref="Categories"/> is set, by <see cref="Kind"/>.
/// </summary>
public sealed class DriftColumn
{
    private DriftColumn(string name, FeatureKind kind, double[]? numbers, string?[]? categories)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        Kind = kind;
        Numbers = numbers;
        Categories = categories;
    }

    /// <summary>The feature name.</summary>
    public string Name { get; }

    /// <summary>Numbers or categories.</summary>
    public FeatureKind Kind { get; }

    /// <summary>The values of a numeric feature (NaN = missing); null for categories.</summary>
    public double[]? Numbers { get; }

    /// <summary>The values of a categorical feature (null = missing); null for numbers.</summary>
    public string?[]? Categories { get; }

    /// <summary>The number of values, missing ones included.</summary>
    public int Length => Numbers?.Length ?? Categories!.Length;

    /// <summary>A numeric column.</summary>
    public static DriftColumn Numeric(string name, double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new DriftColumn(name, FeatureKind.Numeric, values, null);
    }

    /// <summary>A categorical column.</summary>
    public static DriftColumn Categorical(string name, string?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new DriftColumn(name, FeatureKind.Categorical, null, values);
    }
}

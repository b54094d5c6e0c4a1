namespace Slipway.Core.Statistics.Drift;

/// <summary>How drift is decided: Evidently's defaults unless overridden, for all features or one at a time.</summary>
public sealed record DriftOptions
{
    /// <summary>The options every report uses unless told otherwise.</summary>
    public static DriftOptions Default { get; } = new();

    /// <summary>The share of drifted features at or above which the dataset counts as drifted. Default 0.5.</summary>
    public double DriftShare { get; init; } = 0.5;

    /// <summary>A test for every feature instead of the automatic choice; null (the default) chooses per feature.</summary>
    public DriftMethod? Method { get; init; }

    /// <summary>A threshold for every feature instead of the method's default; null keeps the default.</summary>
    public double? Threshold { get; init; }

    /// <summary>Per-feature choices, by feature name; they win over <see cref="Method"/> and <see cref="Threshold"/>.</summary>
    public IReadOnlyDictionary<string, FeatureDriftOverride> Features { get; init; } = new Dictionary<string, FeatureDriftOverride>(StringComparer.Ordinal);

    /// <summary>
    /// The threshold <paramref name="feature"/> is held against under <paramref name="method"/>: its own override in
    /// <paramref name="options"/>, else <see cref="Threshold"/>, else the method's default.
    /// </summary>
    /// <exception cref="ArgumentException">The threshold is NaN, negative, or above 1 for a p-value test.</exception>
    internal static double ThresholdFor(DriftOptions options, string feature, DriftMethod method)
    {
        options.Features.TryGetValue(feature, out var own);
        var threshold = own?.Threshold ?? options.Threshold ?? DriftMethods.DefaultThreshold(method);
        if (double.IsNaN(threshold) || threshold < 0 || (DriftMethods.IsPValue(method) && threshold > 1))
        {
            throw new ArgumentException(
                $"Feature '{feature}': threshold {threshold.ToString(System.Globalization.CultureInfo.InvariantCulture)} is out of range for the {DriftMethods.Name(method)} test.",
                nameof(options));
        }

        return threshold;
    }
}

namespace Slipway.Core.Statistics.Drift;

/// <summary>How a feature's values are compared: as numbers or as categories.</summary>
public enum FeatureKind
{
    /// <summary>Numbers (integer or floating point); missing values are NaN.</summary>
    Numeric,

    /// <summary>Categories (strings or booleans); missing values are null.</summary>
    Categorical,
}

using Slipway.Core.Statistics.Drift;

namespace Slipway.Core.Statistics.Profiles;

/// <summary>A feature to profile: its name and whether its values are numbers or categories.</summary>
/// <param name="Name">The feature (input or output column) name.</param>
/// <param name="Kind">Numbers or categories.</param>
public sealed record ProfileFeature(string Name, FeatureKind Kind);

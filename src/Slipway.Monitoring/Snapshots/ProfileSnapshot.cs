using Slipway.Core.Statistics.Profiles;

namespace Slipway.Monitoring.Snapshots;

/// <summary>One profile snapshot file read back.</summary>
/// <param name="Path">The file.</param>
/// <param name="Model">The model name.</param>
/// <param name="Version">The model version.</param>
/// <param name="IsDaily">Whether it covers a whole UTC day (false: one hour).</param>
/// <param name="IsPartial">Whether it was written before its period closed (a flush or shutdown); a later snapshot of the same period replaces it.</param>
/// <param name="Profile">The profile, rebuilt exactly (histograms, sketches, categories).</param>
public sealed record ProfileSnapshot(string Path, string Model, string Version, bool IsDaily, bool IsPartial, DatasetProfile Profile);

using Slipway.Core.Statistics.Profiles;

namespace Slipway.Monitoring.Inference;

/// <summary>
/// Where the monitor gets a model version's reference profile (the distribution it was trained or validated on): its
/// numeric features' bin edges become the live profiles' histogram edges, and window drift compares against it. The
/// monitor asks once per version, off the request path.
/// </summary>
public interface IReferenceProfileSource
{
    /// <summary>The reference profile of <paramref name="model"/> version <paramref name="version"/>, or null when it has none.</summary>
    Task<DatasetProfile?> GetAsync(string model, string version, CancellationToken cancellationToken);
}

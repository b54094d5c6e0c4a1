using System.Globalization;
using Slipway.Core.Registry;
using Slipway.Serving.Hosting;
using Slipway.Serving.Runtimes;

namespace Slipway.Deploy.Gates;

/// <summary>Loads a candidate version as serving would (package from the registry, runtime of its flavor) for replay and timing.</summary>
internal static class CandidateModel
{
    /// <summary>The loaded runtime, or null and why it could not load (a bad package is a failed gate, not an error).</summary>
    public static async Task<(IModelRuntime? Runtime, string Error)> LoadAsync(
        IModelRegistry registry, ModelVersion version, string cacheDirectory, CancellationToken cancellationToken)
    {
        try
        {
            var directory = await new ModelPackageCache(cacheDirectory).GetAsync(registry, version, cancellationToken).ConfigureAwait(false);
            var runtime = await ModelRuntimes.LoadAsync(
                directory, version.Name, version.Version.ToString(CultureInfo.InvariantCulture), new RuntimeOptions(), cancellationToken).ConfigureAwait(false);
            return (runtime, string.Empty);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (null, $"version {version.Version} cannot be loaded: {e.Message}");
        }
    }
}

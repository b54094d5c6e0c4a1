using System.Globalization;
using Slipway.Core.Registry;
using Slipway.Core.Tracking;

namespace Slipway.Deploy.Gates;

/// <summary>
/// A version's metrics as metric gates read them: the version tag <c>slipway.metric.NAME</c> (set at registration and
/// immutable) first, else the latest value of metric NAME logged by the version's run. The run is fetched once.
/// </summary>
internal sealed class VersionMetrics(ModelVersion version, IExperimentTracker? tracker)
{
    private IReadOnlyDictionary<string, double>? _runMetrics;
    private string? _runProblem;

    public ModelVersion Version { get; } = version;

    /// <summary>The metric's value, or null with why it is missing.</summary>
    public async Task<(double? Value, string Missing)> GetAsync(string metric, CancellationToken cancellationToken)
    {
        if (Version.Tags.TryGetValue(ProtectedTags.MetricPrefix + metric, out var tag))
        {
            if (double.TryParse(tag, NumberStyles.Float, CultureInfo.InvariantCulture, out var tagged))
            {
                return (tagged, string.Empty);
            }

            return (null, $"its tag {ProtectedTags.MetricPrefix}{metric} is '{tag}', not a number");
        }

        if (string.IsNullOrEmpty(Version.RunId))
        {
            return (null, $"no tag {ProtectedTags.MetricPrefix}{metric} and no run");
        }

        if (tracker is null)
        {
            return (null, $"no tag {ProtectedTags.MetricPrefix}{metric}, and run metrics are not available here");
        }

        _runMetrics ??= await LoadRunAsync(cancellationToken).ConfigureAwait(false);
        if (_runMetrics.TryGetValue(metric, out var value))
        {
            return (value, string.Empty);
        }

        return (null, _runProblem ?? $"no tag {ProtectedTags.MetricPrefix}{metric} and run {Version.RunId} logged no metric '{metric}'");
    }

    private async Task<IReadOnlyDictionary<string, double>> LoadRunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var run = await tracker!.GetRunAsync(Version.RunId, cancellationToken).ConfigureAwait(false);
            var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var metric in run.Data.Metrics)
            {
                metrics[metric.Key] = metric.Value;
            }

            return metrics;
        }
        catch (RegistryException e) when (e.Code == RegistryErrorCode.ResourceDoesNotExist)
        {
            _runProblem = $"its run {Version.RunId} no longer exists";
            return new Dictionary<string, double>();
        }
    }
}

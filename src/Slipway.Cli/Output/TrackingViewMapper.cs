using Slipway.Core.Artifacts;
using Slipway.Core.Tracking;

namespace Slipway.Cli.Output;

/// <summary>Turns tracking records (experiments, runs) into the CLI's output views.</summary>
public static class TrackingViewMapper
{
    /// <summary>The input tag that says what a dataset was used for.</summary>
    public const string DatasetContextTag = "mlflow.data.context";

    /// <summary>MLflow's spelling of a run status, e.g. <c>FINISHED</c>.</summary>
    public static string StatusName(RunStatus status) => status.ToString().ToUpperInvariant();

    /// <summary>MLflow's spelling of a lifecycle stage: <c>active</c> or <c>deleted</c>.</summary>
    public static string StageName(LifecycleStage stage) => stage == LifecycleStage.Deleted ? "deleted" : "active";

    /// <summary>The view of an experiment.</summary>
    public static ExperimentView ToView(Experiment experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        return new ExperimentView(
            experiment.ExperimentId,
            experiment.Name,
            experiment.ArtifactLocation,
            StageName(experiment.LifecycleStage),
            experiment.CreationTime,
            experiment.LastUpdateTime,
            new SortedDictionary<string, string>(experiment.Tags.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal), StringComparer.Ordinal));
    }

    /// <summary>The list view of a run: attributes and latest metric values.</summary>
    public static RunSummaryView ToSummary(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var info = run.Info;
        return new RunSummaryView(
            info.RunId,
            info.RunName,
            info.ExperimentId,
            StatusName(info.Status),
            info.StartTime,
            info.EndTime,
            Duration(info),
            LatestMetrics(run));
    }

    /// <summary>The full view of a run with the given artifact files.</summary>
    public static RunView ToView(Run run, IReadOnlyList<ArtifactView> artifacts)
    {
        ArgumentNullException.ThrowIfNull(run);
        var info = run.Info;
        var metrics = new SortedDictionary<string, MetricView>(StringComparer.Ordinal);
        foreach (var metric in run.Data.Metrics)
        {
            metrics[metric.Key] = new MetricView(metric.Value, metric.Step, metric.Timestamp);
        }

        return new RunView(
            info.RunId,
            info.RunName,
            info.ExperimentId,
            info.UserId,
            StatusName(info.Status),
            StageName(info.LifecycleStage),
            info.StartTime,
            info.EndTime,
            Duration(info),
            info.ArtifactUri,
            Params(run),
            metrics,
            Sorted(run.Data.Tags.Select(t => (t.Key, t.Value))),
            run.Inputs.Select(ToView).ToList(),
            artifacts);
    }

    /// <summary>The view of a dataset input.</summary>
    public static DatasetInputView ToView(DatasetInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var tags = Sorted(input.Tags.Select(t => (t.Key, t.Value)));
        return new DatasetInputView(
            input.Dataset.Name,
            input.Dataset.Digest,
            input.Dataset.SourceType,
            input.Dataset.Source,
            tags.TryGetValue(DatasetContextTag, out var context) ? context : string.Empty,
            tags);
    }

    /// <summary>The view of an artifact file listed under <paramref name="directory"/> (empty for the root).</summary>
    public static ArtifactView ToView(ArtifactEntry entry, string directory)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new ArtifactView(ArtifactPath(entry, directory), entry.Size);
    }

    /// <summary>
    /// The path of a listed entry relative to the run's artifact root. MLflow's servers answer with paths relative to
    /// the root; a listing that names entries by their last segment only is completed with the listed directory.
    /// </summary>
    public static string ArtifactPath(ArtifactEntry entry, string directory)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(directory);
        var path = entry.Path.TrimStart('/');
        return directory.Length == 0 || path.StartsWith(directory + "/", StringComparison.Ordinal)
            ? path
            : directory + "/" + path;
    }

    /// <summary>Latest metric values by key, sorted.</summary>
    public static SortedDictionary<string, double> LatestMetrics(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var metric in run.Data.Metrics)
        {
            metrics[metric.Key] = metric.Value;
        }

        return metrics;
    }

    /// <summary>Params by key, sorted.</summary>
    public static SortedDictionary<string, string> Params(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Sorted(run.Data.Params.Select(p => (p.Key, p.Value)));
    }

    /// <summary>A duration in milliseconds as short readable text: <c>850ms</c>, <c>4.2s</c>, <c>3m 05s</c>, <c>2h 01m</c>.</summary>
    public static string FormatDuration(long? milliseconds)
    {
        if (milliseconds is not { } ms)
        {
            return "-";
        }

        var span = TimeSpan.FromMilliseconds(Math.Max(0, ms));
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        return span.TotalSeconds < 1 ? string.Create(invariant, $"{span.TotalMilliseconds:0}ms")
            : span.TotalMinutes < 1 ? string.Create(invariant, $"{span.TotalSeconds:0.0}s")
            : span.TotalHours < 1 ? string.Create(invariant, $"{(int)span.TotalMinutes}m {span.Seconds:00}s")
            : string.Create(invariant, $"{(int)span.TotalHours}h {span.Minutes:00}m");
    }

    /// <summary>A metric value as short text: up to 4 decimals, <c>NaN</c> as is.</summary>
    public static string FormatMetric(double value) => value.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);

    private static long? Duration(RunInfo info) => info.EndTime is { } end ? Math.Max(0, end - info.StartTime) : null;

    private static SortedDictionary<string, string> Sorted(IEnumerable<(string Key, string Value)> pairs)
    {
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            sorted[key] = value;
        }

        return sorted;
    }
}

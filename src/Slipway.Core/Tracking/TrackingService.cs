using Slipway.Core.Artifacts;
using Slipway.Core.Registry;
using Slipway.Core.Search;

namespace Slipway.Core.Tracking;

/// <summary>
/// Experiment tracking in-process: validates every field as MLflow does, decides what MLflow's server decides (run
/// ids, generated run names, the user, artifact URIs, timestamps) and hands the rest to the store. Run artifacts go
/// through the registry's artifact proxy, under the run's artifact URI without its <c>mlflow-artifacts:/</c> scheme
/// (e.g. <c>1/RUN_ID/artifacts</c>). Embedded mode and the server both run this class, so they behave the same.
/// </summary>
public sealed class TrackingService : IExperimentTracker
{
    /// <summary>Default page size of experiment and run searches (MLflow's).</summary>
    public const int DefaultSearchResults = 1_000;

    /// <summary>Largest page of experiment and run searches (MLflow's).</summary>
    public const int MaxSearchResults = 50_000;

    /// <summary>Largest page of a metric history (MLflow's).</summary>
    public const int MaxMetricHistoryResults = 25_000;

    /// <summary>The tag that names a run.</summary>
    public const string RunNameTag = "mlflow.runName";

    /// <summary>The tag that names the user who started a run.</summary>
    public const string UserTag = "mlflow.user";

    private const string ArtifactsScheme = "mlflow-artifacts:";

    private readonly ITrackingStore _store;
    private readonly IModelRegistry _artifacts;
    private readonly TimeProvider _time;
    private readonly Func<string> _currentUser;

    /// <summary>Creates the service.</summary>
    /// <param name="store">Experiment and run metadata.</param>
    /// <param name="artifacts">The registry, for its artifact proxy (<see cref="IModelRegistry.UploadArtifactAsync"/>, <see cref="IModelRegistry.ListArtifactsAsync"/>).</param>
    /// <param name="time">Clock for timestamps.</param>
    /// <param name="currentUser">Who is calling, the user of new runs without an <c>mlflow.user</c> tag; read on every run creation.</param>
    public TrackingService(ITrackingStore store, IModelRegistry artifacts, TimeProvider time, Func<string> currentUser)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(artifacts);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(currentUser);
        _store = store;
        _artifacts = artifacts;
        _time = time;
        _currentUser = currentUser;
    }

    /// <inheritdoc />
    public async Task<string> CreateExperimentAsync(string name, string? artifactLocation, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken)
    {
        TrackingValidation.ExperimentName(name);
        TrackingValidation.ArtifactLocation(artifactLocation);
        tags ??= new Dictionary<string, string>();
        foreach (var (key, value) in tags)
        {
            TrackingValidation.ExperimentTag(key, value);
        }

        var experiment = await _store.CreateExperimentAsync(name, string.IsNullOrEmpty(artifactLocation) ? null : artifactLocation, tags, Now(), cancellationToken);
        return experiment.ExperimentId;
    }

    /// <inheritdoc />
    public async Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken) =>
        await _store.GetExperimentAsync(TrackingValidation.ExperimentId(experimentId), cancellationToken) ?? throw ExperimentNotFound(experimentId);

    /// <inheritdoc />
    public async Task<Experiment> GetExperimentByNameAsync(string name, CancellationToken cancellationToken)
    {
        RegistryValidation.Required(name, "experiment_name");
        return await _store.GetExperimentByNameAsync(name, cancellationToken)
            ?? throw RegistryException.NotFound($"Could not find experiment with name '{name}'");
    }

    /// <inheritdoc />
    public Task<Page<Experiment>> SearchExperimentsAsync(string? filter, IReadOnlyList<string>? orderBy, ViewType viewType, int maxResults, string? pageToken, CancellationToken cancellationToken)
    {
        var query = new SearchQuery(
            SearchFilterParser.ParseExperimentFilter(filter),
            OrderByParser.ParseExperimentOrderBy(orderBy),
            TrackingValidation.MaxResults(maxResults, MaxSearchResults),
            string.IsNullOrEmpty(pageToken) ? null : pageToken);
        return _store.SearchExperimentsAsync(query, TrackingValidation.ViewType(viewType), cancellationToken);
    }

    /// <inheritdoc />
    public async Task UpdateExperimentAsync(string experimentId, string newName, CancellationToken cancellationToken)
    {
        TrackingValidation.ExperimentName(newName, "new_name");
        var experiment = await GetExperimentAsync(experimentId, cancellationToken);
        if (experiment.LifecycleStage != LifecycleStage.Active)
        {
            throw new RegistryException(RegistryErrorCode.InvalidState, "Cannot rename a non-active experiment.");
        }

        await _store.RenameExperimentAsync(experimentId, newName, Now(), cancellationToken);
    }

    /// <inheritdoc />
    public async Task DeleteExperimentAsync(string experimentId, CancellationToken cancellationToken)
    {
        TrackingValidation.ExperimentId(experimentId);
        if (experimentId == "0")
        {
            throw RegistryException.Invalid("Cannot delete the default experiment '0'. This is an internally reserved experiment.");
        }

        var experiment = await GetExperimentAsync(experimentId, cancellationToken);
        if (experiment.LifecycleStage != LifecycleStage.Active)
        {
            throw ExperimentNotFound(experimentId);
        }

        await _store.SetExperimentLifecycleAsync(experimentId, LifecycleStage.Deleted, Now(), cancellationToken);
    }

    /// <inheritdoc />
    public async Task RestoreExperimentAsync(string experimentId, CancellationToken cancellationToken)
    {
        var experiment = await GetExperimentAsync(experimentId, cancellationToken);
        if (experiment.LifecycleStage != LifecycleStage.Deleted)
        {
            throw ExperimentNotFound(experimentId);
        }

        await _store.SetExperimentLifecycleAsync(experimentId, LifecycleStage.Active, Now(), cancellationToken);
    }

    /// <inheritdoc />
    public async Task SetExperimentTagAsync(string experimentId, string key, string value, CancellationToken cancellationToken)
    {
        TrackingValidation.ExperimentTag(key, value);
        RequireActive(await GetExperimentAsync(experimentId, cancellationToken));
        await _store.SetExperimentTagAsync(experimentId, key, value, Now(), cancellationToken);
    }

    /// <inheritdoc />
    public async Task DeleteExperimentTagAsync(string experimentId, string key, CancellationToken cancellationToken)
    {
        RegistryValidation.Required(key, "key");
        RequireActive(await GetExperimentAsync(experimentId, cancellationToken));
        await _store.DeleteExperimentTagAsync(experimentId, key, Now(), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Run> CreateRunAsync(string experimentId, string? runName, long? startTime, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken)
    {
        TrackingValidation.ExperimentId(experimentId);
        tags ??= new Dictionary<string, string>();
        var index = 0;
        foreach (var (key, value) in tags)
        {
            TrackingValidation.RunTag(key, value, $"tags[{index++}]");
        }

        if (startTime < 0)
        {
            throw RegistryException.Invalid(FormattableString.Invariant($"Invalid value {startTime} for parameter 'start_time' supplied: it must be 0 or more (milliseconds since the Unix epoch)."));
        }

        runName = string.IsNullOrEmpty(runName) ? null : runName;
        if (runName is not null && runName.Length > TrackingValidation.MaxTagValueLength)
        {
            throw RegistryException.Invalid(TrackingValidation.ExceedsMaximumLength("run_name", TrackingValidation.MaxTagValueLength));
        }

        var nameTag = tags.TryGetValue(RunNameTag, out var tagged) && !string.IsNullOrEmpty(tagged) ? tagged : null;
        if (runName is not null && nameTag is not null && runName != nameTag)
        {
            throw RegistryException.Invalid(
                $"Both 'run_name' argument and '{RunNameTag}' tag are specified, but with different values (run_name='{runName}', {RunNameTag}='{nameTag}').");
        }

        var experiment = await GetExperimentAsync(experimentId, cancellationToken);
        RequireActive(experiment);
        var name = runName ?? nameTag ?? RunNameGenerator.Next();
        var user = tags.TryGetValue(UserTag, out var taggedUser) && !string.IsNullOrEmpty(taggedUser) ? taggedUser : _currentUser();
        var runId = Guid.NewGuid().ToString("N");
        var runTags = tags.Where(t => t.Key != RunNameTag).Select(t => new RunTag(t.Key, t.Value)).Append(new RunTag(RunNameTag, name)).ToList();
        var run = new NewRun(
            runId,
            experiment.ExperimentId,
            name,
            user,
            startTime ?? Now(),
            experiment.ArtifactLocation.TrimEnd('/') + "/" + runId + "/artifacts",
            runTags);
        return await _store.CreateRunAsync(run, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken) =>
        await _store.GetRunAsync(TrackingValidation.RunId(runId), cancellationToken) ?? throw RunNotFound(runId);

    /// <inheritdoc />
    public async Task<RunInfo> UpdateRunAsync(string runId, RunStatus? status, long? endTime, string? runName, CancellationToken cancellationToken)
    {
        TrackingValidation.RunId(runId);
        if (status is { } s && !Enum.IsDefined(s))
        {
            throw RegistryException.Invalid(FormattableString.Invariant($"Invalid value {(int)s} for parameter 'status' supplied."));
        }

        if (endTime < 0)
        {
            throw RegistryException.Invalid(FormattableString.Invariant($"Invalid value {endTime} for parameter 'end_time' supplied: it must be 0 or more (milliseconds since the Unix epoch)."));
        }

        runName = string.IsNullOrEmpty(runName) ? null : runName;
        if (runName is not null && runName.Length > TrackingValidation.MaxTagValueLength)
        {
            throw RegistryException.Invalid(TrackingValidation.ExceedsMaximumLength("run_name", TrackingValidation.MaxTagValueLength));
        }

        RequireActive(await GetRunAsync(runId, cancellationToken));
        return await _store.UpdateRunAsync(runId, new RunUpdate(status, endTime, runName), cancellationToken);
    }

    /// <inheritdoc />
    public async Task DeleteRunAsync(string runId, CancellationToken cancellationToken)
    {
        _ = await GetRunAsync(runId, cancellationToken);
        await _store.SetRunLifecycleAsync(runId, LifecycleStage.Deleted, Now(), cancellationToken);
    }

    /// <inheritdoc />
    public async Task RestoreRunAsync(string runId, CancellationToken cancellationToken)
    {
        _ = await GetRunAsync(runId, cancellationToken);
        await _store.SetRunLifecycleAsync(runId, LifecycleStage.Active, Now(), cancellationToken);
    }

    /// <inheritdoc />
    public Task LogMetricAsync(string runId, Metric metric, CancellationToken cancellationToken)
    {
        TrackingValidation.RunId(runId);
        TrackingValidation.Metric(metric);
        return _store.LogBatchAsync(runId, [Clamp(metric)], [], [], cancellationToken);
    }

    /// <inheritdoc />
    public Task LogParamAsync(string runId, string key, string value, CancellationToken cancellationToken)
    {
        TrackingValidation.RunId(runId);
        TrackingValidation.Param(key, value);
        return _store.LogBatchAsync(runId, [], [new Param(key, value)], [], cancellationToken);
    }

    /// <inheritdoc />
    public async Task SetTagAsync(string runId, string key, string value, CancellationToken cancellationToken)
    {
        TrackingValidation.RunId(runId);
        TrackingValidation.RunTag(key, value);
        await _store.LogBatchAsync(runId, [], [], [new RunTag(key, value)], cancellationToken);
        await FollowRunNameTagAsync(runId, [new RunTag(key, value)], cancellationToken);
    }

    /// <inheritdoc />
    public async Task DeleteTagAsync(string runId, string key, CancellationToken cancellationToken)
    {
        RegistryValidation.Required(key, "key");
        RequireActive(await GetRunAsync(runId, cancellationToken));
        await _store.DeleteRunTagAsync(runId, key, cancellationToken);
    }

    /// <inheritdoc />
    public async Task LogBatchAsync(string runId, IReadOnlyList<Metric>? metrics, IReadOnlyList<Param>? parameters, IReadOnlyList<RunTag>? tags, CancellationToken cancellationToken)
    {
        TrackingValidation.RunId(runId);
        metrics ??= [];
        parameters ??= [];
        tags ??= [];
        TrackingValidation.Batch(metrics, parameters, tags);
        if (metrics.Count + parameters.Count + tags.Count == 0)
        {
            // Nothing to write, but an unknown run is still an error, as in MLflow.
            _ = await GetRunAsync(runId, cancellationToken);
            return;
        }

        // The same param twice with the same value is harmless (clients resend a batch after a timeout); the store
        // sees each key once.
        var distinctParams = parameters.Count < 2 ? parameters : [.. parameters.DistinctBy(p => p.Key, StringComparer.Ordinal)];
        await _store.LogBatchAsync(runId, [.. metrics.Select(Clamp)], distinctParams, tags, cancellationToken);
        await FollowRunNameTagAsync(runId, tags, cancellationToken);
    }

    /// <inheritdoc />
    public async Task LogInputsAsync(string runId, IReadOnlyList<DatasetInput> datasets, CancellationToken cancellationToken)
    {
        TrackingValidation.RunId(runId);
        TrackingValidation.DatasetInputs(datasets);
        if (datasets.Count > 0)
        {
            await _store.LogInputsAsync(runId, datasets, cancellationToken);
        }
    }

    /// <inheritdoc />
    public Task<Page<Metric>> GetMetricHistoryAsync(string runId, string metricKey, int? maxResults, string? pageToken, CancellationToken cancellationToken)
    {
        TrackingValidation.RunId(runId);
        RegistryValidation.Required(metricKey, "metric_key");
        if (maxResults is { } max)
        {
            TrackingValidation.MaxResults(max, MaxMetricHistoryResults);
        }

        return _store.GetMetricHistoryAsync(runId, metricKey, maxResults, string.IsNullOrEmpty(pageToken) ? null : pageToken, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Page<Run>> SearchRunsAsync(IReadOnlyList<string> experimentIds, string? filter, IReadOnlyList<string>? orderBy, ViewType viewType, int maxResults, string? pageToken, CancellationToken cancellationToken)
    {
        experimentIds ??= [];
        for (var i = 0; i < experimentIds.Count; i++)
        {
            TrackingValidation.ExperimentId(experimentIds[i], $"experiment_ids[{i}]");
        }

        var query = new SearchQuery(
            SearchFilterParser.ParseRunFilter(filter),
            OrderByParser.ParseRunOrderBy(orderBy),
            TrackingValidation.MaxResults(maxResults, MaxSearchResults),
            string.IsNullOrEmpty(pageToken) ? null : pageToken);
        TrackingValidation.ViewType(viewType);

        // MLflow answers a search over no experiments with no runs rather than an error.
        return experimentIds.Count == 0
            ? new Page<Run>([], null)
            : await _store.SearchRunsAsync([.. experimentIds.Distinct(StringComparer.Ordinal)], query, viewType, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<RunArtifacts> ListArtifactsAsync(string runId, string? path, string? pageToken, CancellationToken cancellationToken)
    {
        var run = await GetRunAsync(runId, cancellationToken);
        var root = ProxyRoot(run.Info);
        var relative = ArtifactPath.Normalize(path, "path", allowEmpty: true);
        var entries = await _artifacts.ListArtifactsAsync(relative.Length == 0 ? root : root + "/" + relative, cancellationToken);
        var files = relative.Length == 0
            ? entries
            : [.. entries.Select(e => e with { Path = relative + "/" + e.Path })];
        return new RunArtifacts(run.Info.ArtifactUri, files, NextPageToken: null);
    }

    /// <inheritdoc />
    public async Task LogArtifactAsync(string runId, string artifactPath, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var relative = ArtifactPath.Normalize(artifactPath, "path");
        var run = await GetRunAsync(runId, cancellationToken);
        RequireActive(run);
        await _artifacts.UploadArtifactAsync(ProxyRoot(run.Info) + "/" + relative, content, cancellationToken);
    }

    /// <summary>
    /// The artifact proxy path of a run's artifact root (its artifact URI without <c>mlflow-artifacts:/</c>), or an
    /// invalid-parameter error when the run's artifacts live elsewhere.
    /// </summary>
    internal static string ProxyRoot(RunInfo run)
    {
        var uri = run.ArtifactUri;
        if (!uri.StartsWith(ArtifactsScheme, StringComparison.OrdinalIgnoreCase))
        {
            throw RegistryException.Invalid(
                $"Run {run.RunId} stores its artifacts at '{uri}', which this server does not proxy; only mlflow-artifacts:/ locations are served.");
        }

        var rest = uri[ArtifactsScheme.Length..];
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            // mlflow-artifacts://host:port/path names the server explicitly; the path is what matters here.
            var slash = rest.IndexOf('/', 2);
            rest = slash < 0 ? string.Empty : rest[slash..];
        }

        return ArtifactPath.Normalize(Uri.UnescapeDataString(rest.TrimStart('/')), "artifact_uri");
    }

    private static Metric Clamp(Metric metric) => metric.Value switch
    {
        double.PositiveInfinity => metric with { Value = double.MaxValue },
        double.NegativeInfinity => metric with { Value = -double.MaxValue },
        _ => metric,
    };

    private static void RequireActive(Experiment experiment)
    {
        if (experiment.LifecycleStage != LifecycleStage.Active)
        {
            throw RegistryException.Invalid(
                $"The experiment {experiment.ExperimentId} must be in the 'active' state. Current state is deleted.");
        }
    }

    private static void RequireActive(Run run)
    {
        if (run.Info.LifecycleStage != LifecycleStage.Active)
        {
            throw RegistryException.Invalid($"The run {run.Info.RunId} must be in the 'active' state. Current state is deleted.");
        }
    }

    private static RegistryException ExperimentNotFound(string experimentId) =>
        RegistryException.NotFound($"No Experiment with id={experimentId} exists");

    private static RegistryException RunNotFound(string runId) =>
        RegistryException.NotFound($"Run with id={runId} not found");

    /// <summary>Setting the <c>mlflow.runName</c> tag renames the run, as in MLflow.</summary>
    private async Task FollowRunNameTagAsync(string runId, IReadOnlyList<RunTag> tags, CancellationToken cancellationToken)
    {
        var name = tags.LastOrDefault(t => t.Key == RunNameTag)?.Value;
        if (!string.IsNullOrEmpty(name))
        {
            await _store.UpdateRunAsync(runId, new RunUpdate(null, null, name), cancellationToken);
        }
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}

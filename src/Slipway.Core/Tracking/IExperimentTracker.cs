using Slipway.Core.Registry;
using Slipway.Core.Search;

namespace Slipway.Core.Tracking;

/// <summary>
/// Experiment tracking as callers see it, whether in-process (the tracking service over a store) or over
/// HTTP (the MLflow-protocol client). Failures are <see cref="RegistryException"/> with MLflow's error codes; every
/// field is validated as MLflow validates it.
/// </summary>
public interface IExperimentTracker
{
    /// <summary>Creates an experiment and returns its id.</summary>
    Task<string> CreateExperimentAsync(string name, string? artifactLocation, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken);

    /// <summary>The experiment; throws when missing.</summary>
    Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken);

    /// <summary>The experiment with this name; throws when missing.</summary>
    Task<Experiment> GetExperimentByNameAsync(string name, CancellationToken cancellationToken);

    /// <summary>Searches experiments with MLflow's filter and order_by grammar. Default page size 1,000 (MLflow's), at most 50,000.</summary>
    Task<Page<Experiment>> SearchExperimentsAsync(string? filter, IReadOnlyList<string>? orderBy, ViewType viewType, int maxResults, string? pageToken, CancellationToken cancellationToken);

    /// <summary>Renames an experiment.</summary>
    Task UpdateExperimentAsync(string experimentId, string newName, CancellationToken cancellationToken);

    /// <summary>Soft-deletes an experiment and its runs.</summary>
    Task DeleteExperimentAsync(string experimentId, CancellationToken cancellationToken);

    /// <summary>Restores a deleted experiment and its runs.</summary>
    Task RestoreExperimentAsync(string experimentId, CancellationToken cancellationToken);

    /// <summary>Sets an experiment tag.</summary>
    Task SetExperimentTagAsync(string experimentId, string key, string value, CancellationToken cancellationToken);

    /// <summary>Deletes an experiment tag.</summary>
    Task DeleteExperimentTagAsync(string experimentId, string key, CancellationToken cancellationToken);

    /// <summary>
    /// Starts a run. A null name gets a generated one (adjective-noun-number, as MLflow); a null start time is now;
    /// the user is the caller's. The <c>mlflow.runName</c> tag, when given, names the run.
    /// </summary>
    Task<Run> CreateRunAsync(string experimentId, string? runName, long? startTime, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken);

    /// <summary>The run; throws when missing.</summary>
    Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Updates status, end time or name; null fields stay.</summary>
    Task<RunInfo> UpdateRunAsync(string runId, RunStatus? status, long? endTime, string? runName, CancellationToken cancellationToken);

    /// <summary>Soft-deletes a run.</summary>
    Task DeleteRunAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Restores a deleted run.</summary>
    Task RestoreRunAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Logs one metric value.</summary>
    Task LogMetricAsync(string runId, Metric metric, CancellationToken cancellationToken);

    /// <summary>Logs a parameter (the same value again is accepted; another value is an error).</summary>
    Task LogParamAsync(string runId, string key, string value, CancellationToken cancellationToken);

    /// <summary>Sets a run tag.</summary>
    Task SetTagAsync(string runId, string key, string value, CancellationToken cancellationToken);

    /// <summary>Deletes a run tag.</summary>
    Task DeleteTagAsync(string runId, string key, CancellationToken cancellationToken);

    /// <summary>Logs up to 1,000 metrics, 100 params and 100 tags (1,000 items in all) atomically.</summary>
    Task LogBatchAsync(string runId, IReadOnlyList<Metric>? metrics, IReadOnlyList<Param>? parameters, IReadOnlyList<RunTag>? tags, CancellationToken cancellationToken);

    /// <summary>Records datasets used by the run.</summary>
    Task LogInputsAsync(string runId, IReadOnlyList<DatasetInput> datasets, CancellationToken cancellationToken);

    /// <summary>The history of one metric; all points when <paramref name="maxResults"/> is null.</summary>
    Task<Page<Metric>> GetMetricHistoryAsync(string runId, string metricKey, int? maxResults, string? pageToken, CancellationToken cancellationToken);

    /// <summary>Searches runs with MLflow's grammar. Default page size 1,000, at most 50,000 (MLflow's).</summary>
    Task<Page<Run>> SearchRunsAsync(IReadOnlyList<string> experimentIds, string? filter, IReadOnlyList<string>? orderBy, ViewType viewType, int maxResults, string? pageToken, CancellationToken cancellationToken);

    /// <summary>Lists one directory level of a run's artifacts; <paramref name="path"/> is relative to the run's artifact root (null for the root).</summary>
    Task<RunArtifacts> ListArtifactsAsync(string runId, string? path, string? pageToken, CancellationToken cancellationToken);

    /// <summary>Uploads one artifact of a run, at <paramref name="artifactPath"/> relative to the run's artifact root.</summary>
    Task LogArtifactAsync(string runId, string artifactPath, Stream content, CancellationToken cancellationToken);
}

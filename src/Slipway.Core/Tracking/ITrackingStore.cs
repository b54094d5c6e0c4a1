using Slipway.Core.Registry;
using Slipway.Core.Search;

namespace Slipway.Core.Tracking;

/// <summary>
/// Metadata of experiments and runs. Implementations (SQLite, PostgreSQL) throw <see cref="RegistryException"/> with
/// MLflow's codes for missing or duplicate resources and for state conflicts that only the data can reveal (a
/// parameter logged again with another value, logging to a deleted run); they do not validate names, lengths or
/// batch sizes (the tracking service does). Every operation is atomic. The <c>Default</c> experiment (id <c>0</c>)
/// exists from the first migration.
/// </summary>
public interface ITrackingStore
{
    /// <summary>
    /// Creates an experiment with the next id. With <paramref name="artifactLocation"/> null the location is
    /// <c>mlflow-artifacts:/ID</c>. Throws <see cref="RegistryErrorCode.ResourceAlreadyExists"/> on a duplicate name
    /// (deleted experiments keep their names).
    /// </summary>
    Task<Experiment> CreateExperimentAsync(string name, string? artifactLocation, IReadOnlyDictionary<string, string> tags, long timestamp, CancellationToken cancellationToken);

    /// <summary>The experiment, or null.</summary>
    Task<Experiment?> GetExperimentAsync(string experimentId, CancellationToken cancellationToken);

    /// <summary>The experiment with this exact name (active or deleted), or null.</summary>
    Task<Experiment?> GetExperimentByNameAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Searches experiments. Filter attributes: <c>name</c>, <c>creation_time</c>, <c>last_update_time</c>; tags.
    /// Order keys: <c>experiment_id</c>, <c>name</c>, <c>creation_time</c>, <c>last_update_time</c>; default
    /// <c>creation_time DESC</c> then <c>experiment_id ASC</c>.
    /// </summary>
    Task<Page<Experiment>> SearchExperimentsAsync(SearchQuery query, ViewType viewType, CancellationToken cancellationToken);

    /// <summary>Renames an experiment; throws <see cref="RegistryErrorCode.ResourceAlreadyExists"/> when the name is taken.</summary>
    Task<Experiment> RenameExperimentAsync(string experimentId, string newName, long timestamp, CancellationToken cancellationToken);

    /// <summary>Deletes (soft) or restores an experiment; its runs follow (deleting marks active runs deleted; restoring restores those runs).</summary>
    Task SetExperimentLifecycleAsync(string experimentId, LifecycleStage stage, long timestamp, CancellationToken cancellationToken);

    /// <summary>Sets (or replaces) an experiment tag.</summary>
    Task SetExperimentTagAsync(string experimentId, string key, string value, long timestamp, CancellationToken cancellationToken);

    /// <summary>Deletes an experiment tag; throws <see cref="RegistryErrorCode.ResourceDoesNotExist"/> when absent.</summary>
    Task DeleteExperimentTagAsync(string experimentId, string key, long timestamp, CancellationToken cancellationToken);

    /// <summary>Creates a run; throws when the experiment is missing or deleted.</summary>
    Task<Run> CreateRunAsync(NewRun run, CancellationToken cancellationToken);

    /// <summary>The run with its latest metrics, params, tags and inputs, or null.</summary>
    Task<Run?> GetRunAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Updates status, end time and name (the <c>mlflow.runName</c> tag follows the name).</summary>
    Task<RunInfo> UpdateRunAsync(string runId, RunUpdate update, CancellationToken cancellationToken);

    /// <summary>Deletes (soft) or restores a run.</summary>
    Task SetRunLifecycleAsync(string runId, LifecycleStage stage, long timestamp, CancellationToken cancellationToken);

    /// <summary>
    /// Logs metrics (appended to their histories; the latest value per key kept for search), params and tags in one
    /// transaction. Throws <see cref="RegistryErrorCode.InvalidParameterValue"/> when a param already has another
    /// value (naming the key, old and new value) and when the run is deleted; nothing is written then.
    /// </summary>
    Task LogBatchAsync(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<RunTag> tags, CancellationToken cancellationToken);

    /// <summary>Deletes a run tag; throws <see cref="RegistryErrorCode.ResourceDoesNotExist"/> when absent.</summary>
    Task DeleteRunTagAsync(string runId, string key, CancellationToken cancellationToken);

    /// <summary>Records datasets as inputs of a run; a dataset already logged to the experiment (same name and digest) is reused.</summary>
    Task LogInputsAsync(string runId, IReadOnlyList<DatasetInput> datasets, CancellationToken cancellationToken);

    /// <summary>
    /// Every logged value of one metric, ordered by step, then timestamp, then value (MLflow's order). With
    /// <paramref name="maxResults"/> null, all of them in one page. Throws when the run does not exist.
    /// </summary>
    Task<Page<Metric>> GetMetricHistoryAsync(string runId, string key, int? maxResults, string? pageToken, CancellationToken cancellationToken);

    /// <summary>
    /// Searches runs of the given experiments. Filter kinds: metrics (numeric), params, tags, attributes
    /// (<c>run_id</c>, <c>run_name</c>, <c>status</c>, <c>user_id</c>, <c>artifact_uri</c>, <c>start_time</c>,
    /// <c>end_time</c>), datasets (<c>name</c>, <c>digest</c>, <c>context</c>). Runs lacking an ordered metric, param or
    /// tag come last in either direction; the default and final tie-breakers are <c>start_time DESC</c>, <c>run_id ASC</c>.
    /// </summary>
    Task<Page<Run>> SearchRunsAsync(IReadOnlyList<string> experimentIds, SearchQuery query, ViewType viewType, CancellationToken cancellationToken);
}

namespace Slipway.Core.Tracking;

/// <summary>A run's attributes (MLflow's <c>RunInfo</c>).</summary>
/// <param name="RunId">32 lower-case hex characters; sent on the wire as both <c>run_id</c> and <c>run_uuid</c>.</param>
/// <param name="ExperimentId">The experiment the run belongs to.</param>
/// <param name="RunName">Display name; mirrored in the <c>mlflow.runName</c> tag.</param>
/// <param name="UserId">Who started the run.</param>
/// <param name="Status">Current status.</param>
/// <param name="StartTime">Milliseconds since the Unix epoch.</param>
/// <param name="EndTime">Milliseconds since the Unix epoch, or null while the run has not ended.</param>
/// <param name="ArtifactUri">Root of the run's artifacts: <c>EXPERIMENT_ARTIFACT_LOCATION/RUN_ID/artifacts</c>.</param>
/// <param name="LifecycleStage">Active or deleted.</param>
public sealed record RunInfo(
    string RunId,
    string ExperimentId,
    string RunName,
    string UserId,
    RunStatus Status,
    long StartTime,
    long? EndTime,
    string ArtifactUri,
    LifecycleStage LifecycleStage);

/// <summary>What a run logged: the latest value of each metric, its parameters and its tags.</summary>
/// <param name="Metrics">Latest value per key (largest step, then largest timestamp, then largest value, as MLflow), sorted by key.</param>
/// <param name="Params">Parameters, sorted by key.</param>
/// <param name="Tags">Tags, sorted by key.</param>
public sealed record RunData(IReadOnlyList<Metric> Metrics, IReadOnlyList<Param> Params, IReadOnlyList<RunTag> Tags);

/// <summary>A run with everything it logged.</summary>
/// <param name="Info">Attributes.</param>
/// <param name="Data">Metrics, parameters and tags.</param>
/// <param name="Inputs">Datasets the run used.</param>
public sealed record Run(RunInfo Info, RunData Data, IReadOnlyList<DatasetInput> Inputs);

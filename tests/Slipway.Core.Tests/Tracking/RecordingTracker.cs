using Slipway.Core.Search;
using Slipway.Core.Tracking;

namespace Slipway.Core.Tests.Tracking;

/// <summary>
/// Records the batches a <see cref="RunLogger"/> sends, to assert batch boundaries and inject failures; the logger's
/// only dependencies are LogBatch and UpdateRun, so every other member refuses.
/// </summary>
public sealed class RecordingTracker : IExperimentTracker
{
    private readonly Lock _gate = new();
    private readonly List<(IReadOnlyList<Metric> Metrics, IReadOnlyList<Param> Params, IReadOnlyList<RunTag> Tags)> _batches = [];
    private readonly List<(string RunId, RunStatus? Status, long? EndTime)> _updates = [];

    /// <summary>When set, LogBatchAsync throws this (and records nothing).</summary>
    public Exception? FailWith { get; set; }

    public IReadOnlyList<(IReadOnlyList<Metric> Metrics, IReadOnlyList<Param> Params, IReadOnlyList<RunTag> Tags)> Batches
    {
        get
        {
            lock (_gate)
            {
                return [.. _batches];
            }
        }
    }

    public IReadOnlyList<(string RunId, RunStatus? Status, long? EndTime)> Updates
    {
        get
        {
            lock (_gate)
            {
                return [.. _updates];
            }
        }
    }

    public Task LogBatchAsync(string runId, IReadOnlyList<Metric>? metrics, IReadOnlyList<Param>? parameters, IReadOnlyList<RunTag>? tags, CancellationToken cancellationToken)
    {
        if (FailWith is { } failure)
        {
            return Task.FromException(failure);
        }

        lock (_gate)
        {
            _batches.Add(([.. metrics ?? []], [.. parameters ?? []], [.. tags ?? []]));
        }

        return Task.CompletedTask;
    }

    public Task<RunInfo> UpdateRunAsync(string runId, RunStatus? status, long? endTime, string? runName, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _updates.Add((runId, status, endTime));
        }

        return Task.FromResult(new RunInfo(runId, "0", "r", "u", status ?? RunStatus.Running, 0, endTime, "mlflow-artifacts:/0/" + runId + "/artifacts", LifecycleStage.Active));
    }

    public Task<string> CreateExperimentAsync(string name, string? artifactLocation, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<Experiment> GetExperimentByNameAsync(string name, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<Page<Experiment>> SearchExperimentsAsync(string? filter, IReadOnlyList<string>? orderBy, ViewType viewType, int maxResults, string? pageToken, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task UpdateExperimentAsync(string experimentId, string newName, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task DeleteExperimentAsync(string experimentId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task RestoreExperimentAsync(string experimentId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task SetExperimentTagAsync(string experimentId, string key, string value, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task DeleteExperimentTagAsync(string experimentId, string key, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<Run> CreateRunAsync(string experimentId, string? runName, long? startTime, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task DeleteRunAsync(string runId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task RestoreRunAsync(string runId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task LogMetricAsync(string runId, Metric metric, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task LogParamAsync(string runId, string key, string value, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task SetTagAsync(string runId, string key, string value, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task DeleteTagAsync(string runId, string key, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task LogInputsAsync(string runId, IReadOnlyList<DatasetInput> datasets, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<Page<Metric>> GetMetricHistoryAsync(string runId, string metricKey, int? maxResults, string? pageToken, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<Page<Run>> SearchRunsAsync(IReadOnlyList<string> experimentIds, string? filter, IReadOnlyList<string>? orderBy, ViewType viewType, int maxResults, string? pageToken, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<RunArtifacts> ListArtifactsAsync(string runId, string? path, string? pageToken, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task LogArtifactAsync(string runId, string artifactPath, Stream content, CancellationToken cancellationToken) => throw new NotSupportedException();
}

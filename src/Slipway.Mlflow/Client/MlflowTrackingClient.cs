using System.Globalization;
using System.Text.Json.Serialization.Metadata;
using Slipway.Core.Artifacts;
using Slipway.Core.Registry;
using Slipway.Core.Search;
using Slipway.Core.Tracking;
using Slipway.Mlflow.Contracts;
using Slipway.Mlflow.Contracts.Tracking;

namespace Slipway.Mlflow.Client;

/// <summary>
/// <see cref="IExperimentTracker"/> over MLflow's tracking REST API as a Slipway (or MLflow) server speaks it. Error
/// bodies come back as <see cref="RegistryException"/> with the server's code and message; every request carries the
/// caller's name in <see cref="MlflowPaths.UserHeader"/>; artifacts stream through the server's artifact proxy.
/// </summary>
public sealed class MlflowTrackingClient : IExperimentTracker, IDisposable
{
    private const string ArtifactScheme = "mlflow-artifacts:";

    private static readonly MlflowJsonContext Json = MlflowJsonContext.Default;

    private readonly MlflowTransport transport;

    /// <summary>Creates a client of the server at <paramref name="baseUri"/> (<c>http(s)://host:port</c>, optionally with a path prefix).</summary>
    /// <param name="baseUri">The server's address.</param>
    /// <param name="httpClient">The client to send with; one is created (and disposed with this) when null.</param>
    /// <param name="userName">Who is calling; the server records it as the user of new runs. <see cref="Environment.UserName"/> when null.</param>
    public MlflowTrackingClient(Uri baseUri, HttpClient? httpClient = null, string? userName = null) =>
        transport = new MlflowTransport(baseUri, httpClient, userName);

    /// <inheritdoc />
    public async Task<string> CreateExperimentAsync(string name, string? artifactLocation, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken)
    {
        var request = new CreateExperimentRequest { Name = name, ArtifactLocation = MlflowTransport.NullIfEmpty(artifactLocation), Tags = WireMapper.ToMessages(tags) };
        var response = await PostAsync(MlflowPaths.CreateExperiment, request, Json.CreateExperimentRequest, Json.CreateExperimentResponse, cancellationToken).ConfigureAwait(false);
        return MlflowTransport.Require(response.ExperimentId, "experiment_id");
    }

    /// <inheritdoc />
    public async Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken)
    {
        var response = await transport.GetAsync(transport.Api(MlflowPaths.GetExperiment, ("experiment_id", experimentId ?? string.Empty)), Json.ExperimentResponse, cancellationToken).ConfigureAwait(false);
        return TrackingWireMapper.ToExperiment(MlflowTransport.Require(response.Experiment, "experiment"));
    }

    /// <inheritdoc />
    public async Task<Experiment> GetExperimentByNameAsync(string name, CancellationToken cancellationToken)
    {
        var response = await transport.GetAsync(transport.Api(MlflowPaths.GetExperimentByName, ("experiment_name", name ?? string.Empty)), Json.ExperimentResponse, cancellationToken).ConfigureAwait(false);
        return TrackingWireMapper.ToExperiment(MlflowTransport.Require(response.Experiment, "experiment"));
    }

    /// <inheritdoc />
    public async Task<Page<Experiment>> SearchExperimentsAsync(string? filter, IReadOnlyList<string>? orderBy, ViewType viewType, int maxResults, string? pageToken, CancellationToken cancellationToken)
    {
        var request = new SearchExperimentsRequest
        {
            Filter = MlflowTransport.NullIfEmpty(filter),
            OrderBy = orderBy is { Count: > 0 } ? orderBy : null,
            ViewType = TrackingWireMapper.ToWire(viewType),
            MaxResults = maxResults,
            PageToken = MlflowTransport.NullIfEmpty(pageToken),
        };
        var response = await PostAsync(MlflowPaths.SearchExperiments, request, Json.SearchExperimentsRequest, Json.SearchExperimentsResponse, cancellationToken).ConfigureAwait(false);
        var items = response.Experiments?.Select(TrackingWireMapper.ToExperiment).ToArray() ?? [];
        return new Page<Experiment>(items, MlflowTransport.NullIfEmpty(response.NextPageToken));
    }

    /// <inheritdoc />
    public Task UpdateExperimentAsync(string experimentId, string newName, CancellationToken cancellationToken) =>
        PostAsync(MlflowPaths.UpdateExperiment, new UpdateExperimentRequest { ExperimentId = experimentId, NewName = newName }, Json.UpdateExperimentRequest, Json.EmptyMessage, cancellationToken);

    /// <inheritdoc />
    public Task DeleteExperimentAsync(string experimentId, CancellationToken cancellationToken) =>
        PostAsync(MlflowPaths.DeleteExperiment, new ExperimentRequest { ExperimentId = experimentId }, Json.ExperimentRequest, Json.EmptyMessage, cancellationToken);

    /// <inheritdoc />
    public Task RestoreExperimentAsync(string experimentId, CancellationToken cancellationToken) =>
        PostAsync(MlflowPaths.RestoreExperiment, new ExperimentRequest { ExperimentId = experimentId }, Json.ExperimentRequest, Json.EmptyMessage, cancellationToken);

    /// <inheritdoc />
    public Task SetExperimentTagAsync(string experimentId, string key, string value, CancellationToken cancellationToken) =>
        PostAsync(MlflowPaths.SetExperimentTag, new ExperimentTagRequest { ExperimentId = experimentId, Key = key, Value = value }, Json.ExperimentTagRequest, Json.EmptyMessage, cancellationToken);

    /// <inheritdoc />
    public Task DeleteExperimentTagAsync(string experimentId, string key, CancellationToken cancellationToken) =>
        PostAsync(MlflowPaths.DeleteExperimentTag, new ExperimentTagRequest { ExperimentId = experimentId, Key = key }, Json.ExperimentTagRequest, Json.EmptyMessage, cancellationToken);

    /// <inheritdoc />
    public async Task<Run> CreateRunAsync(string experimentId, string? runName, long? startTime, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken)
    {
        // No user_id: the server takes the caller's name from the user header, as the in-process tracker takes it from its context.
        var request = new CreateRunRequest
        {
            ExperimentId = experimentId,
            RunName = runName,
            StartTime = startTime,
            Tags = WireMapper.ToMessages(tags),
        };
        var response = await PostAsync(MlflowPaths.CreateRun, request, Json.CreateRunRequest, Json.RunResponse, cancellationToken).ConfigureAwait(false);
        return TrackingWireMapper.ToRun(MlflowTransport.Require(response.Run, "run"));
    }

    /// <inheritdoc />
    public async Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken)
    {
        var response = await transport.GetAsync(transport.Api(MlflowPaths.GetRun, ("run_id", runId ?? string.Empty)), Json.RunResponse, cancellationToken).ConfigureAwait(false);
        return TrackingWireMapper.ToRun(MlflowTransport.Require(response.Run, "run"));
    }

    /// <inheritdoc />
    public async Task<RunInfo> UpdateRunAsync(string runId, RunStatus? status, long? endTime, string? runName, CancellationToken cancellationToken)
    {
        var request = new UpdateRunRequest
        {
            RunId = runId,
            Status = status is { } s ? TrackingWireMapper.ToWire(s) : null,
            EndTime = endTime,
            RunName = runName,
        };
        var response = await PostAsync(MlflowPaths.UpdateRun, request, Json.UpdateRunRequest, Json.UpdateRunResponse, cancellationToken).ConfigureAwait(false);
        return TrackingWireMapper.ToRunInfo(MlflowTransport.Require(response.RunInfo, "run_info"));
    }

    /// <inheritdoc />
    public Task DeleteRunAsync(string runId, CancellationToken cancellationToken) =>
        PostAsync(MlflowPaths.DeleteRun, new RunRequest { RunId = runId }, Json.RunRequest, Json.EmptyMessage, cancellationToken);

    /// <inheritdoc />
    public Task RestoreRunAsync(string runId, CancellationToken cancellationToken) =>
        PostAsync(MlflowPaths.RestoreRun, new RunRequest { RunId = runId }, Json.RunRequest, Json.EmptyMessage, cancellationToken);

    /// <inheritdoc />
    public Task LogMetricAsync(string runId, Metric metric, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metric);
        var request = new LogMetricRequest { RunId = runId, Key = metric.Key, Value = metric.Value, Timestamp = metric.Timestamp, Step = metric.Step };
        return PostAsync(MlflowPaths.LogMetric, request, Json.LogMetricRequest, Json.EmptyMessage, cancellationToken);
    }

    /// <inheritdoc />
    public Task LogParamAsync(string runId, string key, string value, CancellationToken cancellationToken) =>
        PostAsync(MlflowPaths.LogParameter, new RunKeyValueRequest { RunId = runId, Key = key, Value = value }, Json.RunKeyValueRequest, Json.EmptyMessage, cancellationToken);

    /// <inheritdoc />
    public Task SetTagAsync(string runId, string key, string value, CancellationToken cancellationToken) =>
        PostAsync(MlflowPaths.SetRunTag, new RunKeyValueRequest { RunId = runId, Key = key, Value = value }, Json.RunKeyValueRequest, Json.EmptyMessage, cancellationToken);

    /// <inheritdoc />
    public Task DeleteTagAsync(string runId, string key, CancellationToken cancellationToken) =>
        PostAsync(MlflowPaths.DeleteRunTag, new RunKeyValueRequest { RunId = runId, Key = key }, Json.RunKeyValueRequest, Json.EmptyMessage, cancellationToken);

    /// <inheritdoc />
    public Task LogBatchAsync(string runId, IReadOnlyList<Metric>? metrics, IReadOnlyList<Param>? parameters, IReadOnlyList<RunTag>? tags, CancellationToken cancellationToken)
    {
        var request = new LogBatchRequest
        {
            RunId = runId,
            Metrics = metrics is { Count: > 0 } ? metrics.Select(TrackingWireMapper.ToMessage).ToArray() : null,
            Params = parameters is { Count: > 0 } ? parameters.Select(p => new ParamMessage { Key = p.Key, Value = p.Value }).ToArray() : null,
            Tags = TrackingWireMapper.ToMessages(tags),
        };
        return PostAsync(MlflowPaths.LogBatch, request, Json.LogBatchRequest, Json.EmptyMessage, cancellationToken);
    }

    /// <inheritdoc />
    public Task LogInputsAsync(string runId, IReadOnlyList<DatasetInput> datasets, CancellationToken cancellationToken)
    {
        var request = new LogInputsRequest { RunId = runId, Datasets = datasets?.Select(TrackingWireMapper.ToMessage).ToArray() };
        return PostAsync(MlflowPaths.LogInputs, request, Json.LogInputsRequest, Json.EmptyMessage, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Page<Metric>> GetMetricHistoryAsync(string runId, string metricKey, int? maxResults, string? pageToken, CancellationToken cancellationToken)
    {
        var query = new List<(string, string)> { ("run_id", runId ?? string.Empty), ("metric_key", metricKey ?? string.Empty) };
        if (maxResults is { } max)
        {
            query.Add(("max_results", max.ToString(CultureInfo.InvariantCulture)));
        }

        if (!string.IsNullOrEmpty(pageToken))
        {
            query.Add(("page_token", pageToken));
        }

        var response = await transport.GetAsync(transport.Api(MlflowPaths.GetMetricHistory, [.. query]), Json.MetricHistoryResponse, cancellationToken).ConfigureAwait(false);
        var metrics = response.Metrics?.Select((m, i) => TrackingWireMapper.ToMetric(m, string.Create(CultureInfo.InvariantCulture, $"metrics[{i}]"))).ToArray() ?? [];
        return new Page<Metric>(metrics, MlflowTransport.NullIfEmpty(response.NextPageToken));
    }

    /// <inheritdoc />
    public async Task<Page<Run>> SearchRunsAsync(IReadOnlyList<string> experimentIds, string? filter, IReadOnlyList<string>? orderBy, ViewType viewType, int maxResults, string? pageToken, CancellationToken cancellationToken)
    {
        var request = new SearchRunsRequest
        {
            ExperimentIds = experimentIds,
            Filter = MlflowTransport.NullIfEmpty(filter),
            RunViewType = TrackingWireMapper.ToWire(viewType),
            MaxResults = maxResults,
            OrderBy = orderBy is { Count: > 0 } ? orderBy : null,
            PageToken = MlflowTransport.NullIfEmpty(pageToken),
        };
        var response = await PostAsync(MlflowPaths.SearchRuns, request, Json.SearchRunsRequest, Json.SearchRunsResponse, cancellationToken).ConfigureAwait(false);
        var runs = response.Runs?.Select(TrackingWireMapper.ToRun).ToArray() ?? [];
        return new Page<Run>(runs, MlflowTransport.NullIfEmpty(response.NextPageToken));
    }

    /// <inheritdoc />
    public async Task<RunArtifacts> ListArtifactsAsync(string runId, string? path, string? pageToken, CancellationToken cancellationToken)
    {
        var query = new List<(string, string)> { ("run_id", runId ?? string.Empty) };
        if (!string.IsNullOrEmpty(path))
        {
            query.Add(("path", path));
        }

        if (!string.IsNullOrEmpty(pageToken))
        {
            query.Add(("page_token", pageToken));
        }

        var response = await transport.GetAsync(transport.Api(MlflowPaths.ListRunArtifacts, [.. query]), Json.RunArtifactsResponse, cancellationToken).ConfigureAwait(false);
        return TrackingWireMapper.ToRunArtifacts(response);
    }

    /// <inheritdoc />
    public async Task LogArtifactAsync(string runId, string artifactPath, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var relative = ArtifactPath.Normalize(artifactPath, "artifact_path");
        var run = await GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        if (run.Info.LifecycleStage != LifecycleStage.Active)
        {
            // The artifact proxy knows nothing of runs: refuse here, as the in-process tracker does.
            throw RegistryException.Invalid($"The run {run.Info.RunId} must be in the 'active' state. Current state is deleted.");
        }

        var root = ProxyPathOf(run.Info.ArtifactUri);
        await transport.PutArtifactAsync(ArtifactPath.Normalize(root + "/" + relative, "artifact_path"), content, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => transport.Dispose();

    /// <summary>
    /// The artifact proxy path of a run's <c>mlflow-artifacts:/</c> root (also the <c>mlflow-artifacts://host/</c>
    /// form). Other roots (a bucket the client would have to reach itself) cannot be written through the server.
    /// </summary>
    private static string ProxyPathOf(string artifactUri)
    {
        if (!artifactUri.StartsWith(ArtifactScheme, StringComparison.Ordinal))
        {
            throw RegistryException.Invalid(
                $"The run's artifact location '{artifactUri}' is not served by the artifact proxy; only {ArtifactScheme}/ locations can be written through the server.");
        }

        var rest = artifactUri[ArtifactScheme.Length..];
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            // mlflow-artifacts://host:port/path: the authority names the server, which is the one we talk to.
            var slash = rest.IndexOf('/', 2);
            rest = slash < 0 ? string.Empty : rest[slash..];
        }

        return rest.TrimStart('/');
    }

    private Task<TResponse> PostAsync<TRequest, TResponse>(string path, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken) =>
        transport.SendAsync(HttpMethod.Post, transport.Api(path), body, requestType, responseType, cancellationToken);
}

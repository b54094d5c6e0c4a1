using System.Text.Json;
using Slipway.Core.Registry;
using Slipway.Core.Tracking;
using Slipway.Mlflow;
using Slipway.Mlflow.Contracts.Tracking;
using Slipway.Server.Http;

namespace Slipway.Server.Tracking;

/// <summary>
/// MLflow's <c>runs/*</c> endpoints. A run is named by <c>run_id</c> or the deprecated <c>run_uuid</c> (MLflow clients
/// send both); bodies are parsed by the source-generated serializer, so a 1,000-metric batch costs no reflection.
/// </summary>
internal sealed class RunEndpoints(IExperimentTracker tracker)
{
    private static readonly MlflowJsonContext Json = MlflowJsonContext.Default;

    /// <summary>How much of a search answer is buffered before it is handed to the connection (bytes).</summary>
    private const int FlushThresholdBytes = 64 * 1024;

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost(MlflowPaths.CreateRun, CreateAsync);
        routes.MapGet(MlflowPaths.GetRun, GetAsync);
        routes.MapPost(MlflowPaths.UpdateRun, UpdateAsync);
        routes.MapPost(MlflowPaths.DeleteRun, DeleteAsync);
        routes.MapPost(MlflowPaths.RestoreRun, RestoreAsync);
        routes.MapPost(MlflowPaths.LogMetric, LogMetricAsync);
        routes.MapPost(MlflowPaths.LogParameter, LogParameterAsync);
        routes.MapPost(MlflowPaths.SetRunTag, SetTagAsync);
        routes.MapPost(MlflowPaths.DeleteRunTag, DeleteTagAsync);
        routes.MapPost(MlflowPaths.LogBatch, LogBatchAsync);
        routes.MapPost(MlflowPaths.LogInputs, LogInputsAsync);
        routes.MapPost(MlflowPaths.LogModel, LogModelAsync);
        routes.MapPost(MlflowPaths.SearchRuns, SearchAsync);
        routes.MapGet(MlflowPaths.SearchRuns, SearchFromQueryAsync);
    }

    private static Task WriteAsync(HttpContext context, Run run) =>
        Responses.JsonAsync(context, new RunResponse { Run = TrackingWireMapper.ToMessage(run) }, Json.RunResponse);

    private static string RequiredValue(string? value, string field) =>
        value ?? throw RegistryException.Invalid($"Missing value for required parameter '{field}'.");

    private async Task CreateAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, Json.CreateRunRequest);
        RegistryValidation.Required(request.ExperimentId, "experiment_id");
        if (!string.IsNullOrEmpty(request.UserId))
        {
            // MLflow clients name the run's user in the body (their OS user); it wins over the header for this call.
            RequestUser.Use(request.UserId);
        }

        var run = await tracker.CreateRunAsync(request.ExperimentId!, request.RunName, request.StartTime, WireMapper.ToDictionary(request.Tags), context.RequestAborted);
        await WriteAsync(context, run);
    }

    private async Task GetAsync(HttpContext context)
    {
        var runId = TrackingWireMapper.RunIdOf(JsonBody.Query(context, "run_id"), JsonBody.Query(context, "run_uuid"));
        await WriteAsync(context, await tracker.GetRunAsync(runId, context.RequestAborted));
    }

    private async Task UpdateAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, Json.UpdateRunRequest);
        var runId = TrackingWireMapper.RunIdOf(request.RunId, request.RunUuid);
        var info = await tracker.UpdateRunAsync(runId, TrackingWireMapper.ParseRunStatus(request.Status), request.EndTime, request.RunName, context.RequestAborted);
        await Responses.JsonAsync(context, new UpdateRunResponse { RunInfo = TrackingWireMapper.ToMessage(info) }, Json.UpdateRunResponse);
    }

    private async Task DeleteAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, Json.RunRequest);
        await tracker.DeleteRunAsync(TrackingWireMapper.RunIdOf(request.RunId, request.RunUuid), context.RequestAborted);
        await Responses.EmptyAsync(context);
    }

    private async Task RestoreAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, Json.RunRequest);
        await tracker.RestoreRunAsync(TrackingWireMapper.RunIdOf(request.RunId, request.RunUuid), context.RequestAborted);
        await Responses.EmptyAsync(context);
    }

    private async Task LogMetricAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, Json.LogMetricRequest);
        var runId = TrackingWireMapper.RunIdOf(request.RunId, request.RunUuid);
        RegistryValidation.Required(request.Key, "key");
        var metric = new Metric(
            request.Key!,
            request.Value ?? throw RegistryException.Invalid("Missing value for required parameter 'value'."),
            request.Timestamp ?? throw RegistryException.Invalid("Missing value for required parameter 'timestamp'."),
            request.Step ?? 0);
        await tracker.LogMetricAsync(runId, metric, context.RequestAborted);
        await Responses.EmptyAsync(context);
    }

    private async Task LogParameterAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, Json.RunKeyValueRequest);
        var runId = TrackingWireMapper.RunIdOf(request.RunId, request.RunUuid);
        RegistryValidation.Required(request.Key, "key");
        await tracker.LogParamAsync(runId, request.Key!, RequiredValue(request.Value, "value"), context.RequestAborted);
        await Responses.EmptyAsync(context);
    }

    private async Task SetTagAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, Json.RunKeyValueRequest);
        var runId = TrackingWireMapper.RunIdOf(request.RunId, request.RunUuid);
        RegistryValidation.Required(request.Key, "key");
        await tracker.SetTagAsync(runId, request.Key!, RequiredValue(request.Value, "value"), context.RequestAborted);
        await Responses.EmptyAsync(context);
    }

    private async Task DeleteTagAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, Json.RunKeyValueRequest);
        var runId = TrackingWireMapper.RunIdOf(request.RunId, request.RunUuid);
        RegistryValidation.Required(request.Key, "key");
        await tracker.DeleteTagAsync(runId, request.Key!, context.RequestAborted);
        await Responses.EmptyAsync(context);
    }

    private async Task LogBatchAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, Json.LogBatchRequest);
        var runId = TrackingWireMapper.RunIdOf(request.RunId, null);
        await tracker.LogBatchAsync(
            runId,
            TrackingWireMapper.ToMetrics(request.Metrics),
            TrackingWireMapper.ToParams(request.Params),
            TrackingWireMapper.ToRunTags(request.Tags),
            context.RequestAborted);
        await Responses.EmptyAsync(context);
    }

    private async Task LogInputsAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, Json.LogInputsRequest);
        var runId = TrackingWireMapper.RunIdOf(request.RunId, null);
        await tracker.LogInputsAsync(runId, TrackingWireMapper.ToDatasetInputs(request.Datasets), context.RequestAborted);
        await Responses.EmptyAsync(context);
    }

    private async Task LogModelAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, Json.LogModelRequest);
        var runId = TrackingWireMapper.RunIdOf(request.RunId, null);
        var modelJson = RequiredValue(request.ModelJson, "model_json");
        await LoggedModelHistory.AppendAsync(tracker, runId, modelJson, context.RequestAborted);
        await Responses.EmptyAsync(context);
    }

    private async Task SearchAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, Json.SearchRunsRequest);
        await SearchAsync(context, request);
    }

    /// <summary>The same search from query parameters (<c>experiment_ids</c> and <c>order_by</c> may repeat), for callers without a JSON body.</summary>
    private Task SearchFromQueryAsync(HttpContext context)
    {
        var maxResults = JsonBody.QueryOptionalInt(context, "max_results");
        var request = new SearchRunsRequest
        {
            ExperimentIds = JsonBody.QueryAll(context, "experiment_ids"),
            Filter = JsonBody.Query(context, "filter"),
            RunViewType = JsonBody.Query(context, "run_view_type"),
            MaxResults = maxResults,
            OrderBy = JsonBody.QueryAll(context, "order_by"),
            PageToken = JsonBody.Query(context, "page_token"),
        };
        return SearchAsync(context, request);
    }

    private async Task SearchAsync(HttpContext context, SearchRunsRequest request)
    {
        var page = await tracker.SearchRunsAsync(
            request.ExperimentIds ?? [],
            request.Filter,
            request.OrderBy,
            TrackingWireMapper.ParseViewType(request.RunViewType, "run_view_type"),
            TrackingWireMapper.MaxResults(request.MaxResults, MlflowPaths.SearchTrackingDefault, MlflowPaths.SearchTrackingMax),
            request.PageToken,
            context.RequestAborted);

        // Written straight from the Core runs (the same bytes as serializing SearchRunsResponse): a page of 1,000 runs
        // holds tens of thousands of metrics and params, and a wire message for each is garbage the serializer then walks.
        context.Response.ContentType = "application/json";
        var body = context.Response.BodyWriter;
        var hasRuns = page.Items.Count > 0;
        await using (var writer = new Utf8JsonWriter(body))
        {
            RunJsonWriter.WriteSearchStart(writer, hasRuns);
            foreach (var run in page.Items)
            {
                RunJsonWriter.WriteRun(writer, run);
                if (writer.BytesPending >= FlushThresholdBytes)
                {
                    // The writer only commits to the pipe; the pipe's flush sends it (and waits when the client lags).
                    writer.Flush();
                    await body.FlushAsync(context.RequestAborted);
                }
            }

            RunJsonWriter.WriteSearchEnd(writer, hasRuns, page.NextPageToken);
            writer.Flush();
            await body.FlushAsync(context.RequestAborted);
        }
    }
}

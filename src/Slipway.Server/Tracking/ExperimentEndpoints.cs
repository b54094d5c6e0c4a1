using Slipway.Core.Registry;
using Slipway.Core.Tracking;
using Slipway.Mlflow;
using Slipway.Mlflow.Contracts.Tracking;
using Slipway.Server.Http;

namespace Slipway.Server.Tracking;

/// <summary>MLflow's <c>experiments/*</c> endpoints: GETs read query parameters, POSTs read JSON bodies.</summary>
internal sealed class ExperimentEndpoints(IExperimentTracker tracker)
{
    private static readonly MlflowJsonContext Json = MlflowJsonContext.Default;

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost(MlflowPaths.CreateExperiment, CreateAsync);
        routes.MapGet(MlflowPaths.GetExperiment, GetAsync);
        routes.MapGet(MlflowPaths.GetExperimentByName, GetByNameAsync);
        routes.MapPost(MlflowPaths.SearchExperiments, SearchAsync);
        routes.MapGet(MlflowPaths.SearchExperiments, SearchFromQueryAsync);
        routes.MapPost(MlflowPaths.UpdateExperiment, UpdateAsync);
        routes.MapPost(MlflowPaths.DeleteExperiment, DeleteAsync);
        routes.MapPost(MlflowPaths.RestoreExperiment, RestoreAsync);
        routes.MapPost(MlflowPaths.SetExperimentTag, SetTagAsync);
        routes.MapPost(MlflowPaths.DeleteExperimentTag, DeleteTagAsync);
    }

    private static Task WriteAsync(HttpContext context, Experiment experiment) =>
        Responses.JsonAsync(context, new ExperimentResponse { Experiment = TrackingWireMapper.ToMessage(experiment) }, Json.ExperimentResponse);

    private static string RequiredId(string? experimentId)
    {
        RegistryValidation.Required(experimentId, "experiment_id");
        return experimentId!;
    }

    private async Task CreateAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, Json.CreateExperimentRequest);
        RegistryValidation.Required(request.Name, "name");
        var id = await tracker.CreateExperimentAsync(request.Name!, request.ArtifactLocation, WireMapper.ToDictionary(request.Tags), context.RequestAborted);
        await Responses.JsonAsync(context, new CreateExperimentResponse { ExperimentId = id }, Json.CreateExperimentResponse);
    }

    private async Task GetAsync(HttpContext context)
    {
        var id = RequiredId(JsonBody.Query(context, "experiment_id"));
        await WriteAsync(context, await tracker.GetExperimentAsync(id, context.RequestAborted));
    }

    private async Task GetByNameAsync(HttpContext context)
    {
        var name = JsonBody.Query(context, "experiment_name");
        RegistryValidation.Required(name, "experiment_name");
        await WriteAsync(context, await tracker.GetExperimentByNameAsync(name!, context.RequestAborted));
    }

    private async Task SearchAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, Json.SearchExperimentsRequest);
        await SearchAsync(context, request);
    }

    private Task SearchFromQueryAsync(HttpContext context)
    {
        var maxResults = JsonBody.QueryOptionalInt(context, "max_results");
        var request = new SearchExperimentsRequest
        {
            Filter = JsonBody.Query(context, "filter"),
            OrderBy = JsonBody.QueryAll(context, "order_by"),
            ViewType = JsonBody.Query(context, "view_type"),
            MaxResults = maxResults,
            PageToken = JsonBody.Query(context, "page_token"),
        };
        return SearchAsync(context, request);
    }

    private async Task SearchAsync(HttpContext context, SearchExperimentsRequest request)
    {
        var page = await tracker.SearchExperimentsAsync(
            request.Filter,
            request.OrderBy,
            TrackingWireMapper.ParseViewType(request.ViewType),
            TrackingWireMapper.MaxResults(request.MaxResults, MlflowPaths.SearchTrackingDefault, MlflowPaths.SearchTrackingMax),
            request.PageToken,
            context.RequestAborted);
        var response = new SearchExperimentsResponse
        {
            Experiments = page.Items.Count == 0 ? null : page.Items.Select(TrackingWireMapper.ToMessage).ToArray(),
            NextPageToken = page.NextPageToken,
        };
        await Responses.JsonAsync(context, response, Json.SearchExperimentsResponse);
    }

    private async Task UpdateAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, Json.UpdateExperimentRequest);
        var id = RequiredId(request.ExperimentId);
        RegistryValidation.Required(request.NewName, "new_name");
        await tracker.UpdateExperimentAsync(id, request.NewName!, context.RequestAborted);
        await Responses.EmptyAsync(context);
    }

    private async Task DeleteAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, Json.ExperimentRequest);
        await tracker.DeleteExperimentAsync(RequiredId(request.ExperimentId), context.RequestAborted);
        await Responses.EmptyAsync(context);
    }

    private async Task RestoreAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, Json.ExperimentRequest);
        await tracker.RestoreExperimentAsync(RequiredId(request.ExperimentId), context.RequestAborted);
        await Responses.EmptyAsync(context);
    }

    private async Task SetTagAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, Json.ExperimentTagRequest);
        var id = RequiredId(request.ExperimentId);
        RegistryValidation.Required(request.Key, "key");
        if (request.Value is null)
        {
            throw RegistryException.Invalid("Missing value for required parameter 'value'.");
        }

        await tracker.SetExperimentTagAsync(id, request.Key!, request.Value, context.RequestAborted);
        await Responses.EmptyAsync(context);
    }

    private async Task DeleteTagAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, Json.ExperimentTagRequest);
        var id = RequiredId(request.ExperimentId);
        RegistryValidation.Required(request.Key, "key");
        await tracker.DeleteExperimentTagAsync(id, request.Key!, context.RequestAborted);
        await Responses.EmptyAsync(context);
    }
}

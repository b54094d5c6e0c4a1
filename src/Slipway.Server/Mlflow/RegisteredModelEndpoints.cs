using Slipway.Core.Registry;
using Slipway.Mlflow;
using Slipway.Mlflow.Contracts;
using Slipway.Server.Http;

namespace Slipway.Server.Mlflow;

/// <summary>MLflow's <c>registered-models/*</c> endpoints: GETs read query parameters, the rest read JSON bodies.</summary>
internal sealed class RegisteredModelEndpoints(IModelRegistry registry)
{
    private static readonly MlflowJsonContext Json = MlflowJsonContext.Default;

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost(MlflowPaths.CreateRegisteredModel, CreateAsync);
        routes.MapGet(MlflowPaths.GetRegisteredModel, GetAsync);
        routes.MapPost(MlflowPaths.RenameRegisteredModel, RenameAsync);
        routes.MapPatch(MlflowPaths.UpdateRegisteredModel, UpdateAsync);
        routes.MapDelete(MlflowPaths.DeleteRegisteredModel, DeleteAsync);
        routes.MapGet(MlflowPaths.SearchRegisteredModels, SearchAsync);
        routes.MapPost(MlflowPaths.SetRegisteredModelTag, SetTagAsync);
        routes.MapDelete(MlflowPaths.DeleteRegisteredModelTag, DeleteTagAsync);
        routes.MapPost(MlflowPaths.GetLatestVersions, GetLatestVersionsAsync);
        routes.MapGet(MlflowPaths.GetLatestVersions, GetLatestVersionsFromQueryAsync);
        routes.MapPost(MlflowPaths.Alias, SetAliasAsync);
        routes.MapDelete(MlflowPaths.Alias, DeleteAliasAsync);
        routes.MapGet(MlflowPaths.Alias, GetByAliasAsync);
    }

    private static Task WriteAsync(HttpContext context, RegisteredModel model) =>
        Responses.JsonAsync(context, new RegisteredModelResponse { RegisteredModel = WireMapper.ToMessage(model) }, Json.RegisteredModelResponse);

    private static Task WriteVersionsAsync(HttpContext context, IReadOnlyList<ModelVersion> versions) =>
        Responses.JsonAsync(
            context,
            new SearchModelVersionsResponse { ModelVersions = versions.Count == 0 ? null : versions.Select(WireMapper.ToMessage).ToArray() },
            Json.SearchModelVersionsResponse);

    private async Task CreateAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, Json.CreateRegisteredModelRequest);
        var model = await registry.CreateRegisteredModelAsync(request.Name!, request.Description, WireMapper.ToDictionary(request.Tags), context.RequestAborted);
        await WriteAsync(context, model);
    }

    private async Task GetAsync(HttpContext context)
    {
        var model = await registry.GetRegisteredModelAsync(JsonBody.Query(context, "name")!, context.RequestAborted);
        await WriteAsync(context, model);
    }

    private async Task RenameAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, Json.RenameRegisteredModelRequest);
        RegistryValidation.Required(request.Name, "name");
        RegistryValidation.Required(request.NewName, "new_name");
        var model = await registry.RenameRegisteredModelAsync(request.Name!, request.NewName!, context.RequestAborted);
        await WriteAsync(context, model);
    }

    private async Task UpdateAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, Json.UpdateRegisteredModelRequest);
        var model = await registry.UpdateRegisteredModelAsync(request.Name!, request.Description ?? string.Empty, context.RequestAborted);
        await WriteAsync(context, model);
    }

    private async Task DeleteAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, Json.RegisteredModelRequest);
        await registry.DeleteRegisteredModelAsync(request.Name!, context.RequestAborted);
        await Responses.EmptyAsync(context);
    }

    private async Task SearchAsync(HttpContext context)
    {
        var page = await registry.SearchRegisteredModelsAsync(
            JsonBody.Query(context, "filter"),
            JsonBody.QueryAll(context, "order_by"),
            JsonBody.QueryInt(context, "max_results", MlflowPaths.SearchRegisteredModelsDefault),
            JsonBody.Query(context, "page_token"),
            context.RequestAborted);
        var response = new SearchRegisteredModelsResponse
        {
            RegisteredModels = page.Items.Count == 0 ? null : page.Items.Select(WireMapper.ToMessage).ToArray(),
            NextPageToken = page.NextPageToken,
        };
        await Responses.JsonAsync(context, response, Json.SearchRegisteredModelsResponse);
    }

    private async Task SetTagAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, Json.RegisteredModelTagRequest);
        await registry.SetRegisteredModelTagAsync(request.Name!, request.Key!, request.Value!, context.RequestAborted);
        await Responses.EmptyAsync(context);
    }

    private async Task DeleteTagAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, Json.RegisteredModelTagRequest);
        await registry.DeleteRegisteredModelTagAsync(request.Name!, request.Key!, context.RequestAborted);
        await Responses.EmptyAsync(context);
    }

    private async Task GetLatestVersionsAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, Json.GetLatestVersionsRequest);
        var versions = await registry.GetLatestVersionsAsync(request.Name!, request.Stages, context.RequestAborted);
        await WriteVersionsAsync(context, versions);
    }

    private async Task GetLatestVersionsFromQueryAsync(HttpContext context)
    {
        var versions = await registry.GetLatestVersionsAsync(JsonBody.Query(context, "name")!, JsonBody.QueryAll(context, "stages"), context.RequestAborted);
        await WriteVersionsAsync(context, versions);
    }

    private async Task SetAliasAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, Json.AliasRequest);
        RegistryValidation.Required(request.Name, "name");
        RegistryValidation.Required(request.Alias, "alias");
        var version = RegistryValidation.Version(request.Version);
        await registry.SetAliasAsync(request.Name!, request.Alias!, version, request.Reason, context.RequestAborted);
        await Responses.EmptyAsync(context);
    }

    private async Task DeleteAliasAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, Json.AliasRequest);
        await registry.DeleteAliasAsync(request.Name!, request.Alias!, request.Reason, context.RequestAborted);
        await Responses.EmptyAsync(context);
    }

    private async Task GetByAliasAsync(HttpContext context)
    {
        // The hot path of serving nodes following an alias: one registry call, one source-generated write.
        var version = await registry.GetModelVersionByAliasAsync(JsonBody.Query(context, "name")!, JsonBody.Query(context, "alias")!, context.RequestAborted);
        await Responses.JsonAsync(context, new ModelVersionResponse { ModelVersion = WireMapper.ToMessage(version) }, Json.ModelVersionResponse);
    }
}

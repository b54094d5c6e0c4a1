using Slipway.Core.Registry;
using Slipway.Mlflow;
using Slipway.Mlflow.Contracts;
using Slipway.Server.Http;

namespace Slipway.Server.Mlflow;

/// <summary>MLflow's <c>model-versions/*</c> endpoints: GETs read query parameters, the rest read JSON bodies.</summary>
internal sealed class ModelVersionEndpoints(IModelRegistry registry)
{
    private static readonly MlflowJsonContext Json = MlflowJsonContext.Default;

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost(MlflowPaths.CreateModelVersion, CreateAsync);
        routes.MapGet(MlflowPaths.GetModelVersion, GetAsync);
        routes.MapPatch(MlflowPaths.UpdateModelVersion, UpdateAsync);
        routes.MapDelete(MlflowPaths.DeleteModelVersion, DeleteAsync);
        routes.MapGet(MlflowPaths.SearchModelVersions, SearchAsync);
        routes.MapGet(MlflowPaths.GetDownloadUri, GetDownloadUriAsync);
        routes.MapPost(MlflowPaths.SetModelVersionTag, SetTagAsync);
        routes.MapDelete(MlflowPaths.DeleteModelVersionTag, DeleteTagAsync);
    }

    private static Task WriteAsync(HttpContext context, ModelVersion version) =>
        Responses.JsonAsync(context, new ModelVersionResponse { ModelVersion = WireMapper.ToMessage(version) }, Json.ModelVersionResponse);

    private static (string Name, long Version) Identify(string? name, string? version)
    {
        RegistryValidation.Required(name, "name");
        return (name!, RegistryValidation.Version(version));
    }

    private async Task CreateAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, Json.CreateModelVersionRequest);
        RegistryValidation.Required(request.Name, "name");
        RegistryValidation.Required(request.Source, "source");
        var created = await registry.CreateModelVersionAsync(
            new NewModelVersion(
                request.Name!,
                request.Source!,
                request.RunId ?? string.Empty,
                request.RunLink ?? string.Empty,
                request.Description ?? string.Empty,
                request.UserId ?? string.Empty,
                WireMapper.ToDictionary(request.Tags)),
            context.RequestAborted);
        await WriteAsync(context, created);
    }

    private async Task GetAsync(HttpContext context)
    {
        var (name, version) = Identify(JsonBody.Query(context, "name"), JsonBody.Query(context, "version"));
        await WriteAsync(context, await registry.GetModelVersionAsync(name, version, context.RequestAborted));
    }

    private async Task UpdateAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, Json.ModelVersionRequest);
        var (name, version) = Identify(request.Name, request.Version);
        await WriteAsync(context, await registry.UpdateModelVersionAsync(name, version, request.Description ?? string.Empty, context.RequestAborted));
    }

    private async Task DeleteAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, Json.ModelVersionRequest);
        var (name, version) = Identify(request.Name, request.Version);
        await registry.DeleteModelVersionAsync(name, version, context.RequestAborted);
        await Responses.EmptyAsync(context);
    }

    private async Task SearchAsync(HttpContext context)
    {
        var page = await registry.SearchModelVersionsAsync(
            JsonBody.Query(context, "filter"),
            JsonBody.QueryAll(context, "order_by"),
            JsonBody.QueryInt(context, "max_results", MlflowPaths.SearchModelVersionsDefault),
            JsonBody.Query(context, "page_token"),
            context.RequestAborted);
        var response = new SearchModelVersionsResponse
        {
            ModelVersions = page.Items.Count == 0 ? null : page.Items.Select(WireMapper.ToMessage).ToArray(),
            NextPageToken = page.NextPageToken,
        };
        await Responses.JsonAsync(context, response, Json.SearchModelVersionsResponse);
    }

    private async Task GetDownloadUriAsync(HttpContext context)
    {
        var (name, version) = Identify(JsonBody.Query(context, "name"), JsonBody.Query(context, "version"));
        var uri = await registry.GetModelVersionDownloadUriAsync(name, version, context.RequestAborted);
        await Responses.JsonAsync(context, new DownloadUriResponse { ArtifactUri = uri }, Json.DownloadUriResponse);
    }

    private async Task SetTagAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, Json.ModelVersionTagRequest);
        var (name, version) = Identify(request.Name, request.Version);
        RegistryValidation.Tag(request.Key, request.Value);
        await registry.SetModelVersionTagAsync(name, version, request.Key!, request.Value!, context.RequestAborted);
        await Responses.EmptyAsync(context);
    }

    private async Task DeleteTagAsync(HttpContext context)
    {
        var request = await JsonBody.ReadAsync(context, Json.ModelVersionTagRequest);
        var (name, version) = Identify(request.Name, request.Version);
        RegistryValidation.Required(request.Key, "key");
        await registry.DeleteModelVersionTagAsync(name, version, request.Key!, context.RequestAborted);
        await Responses.EmptyAsync(context);
    }
}

using Slipway.Core.Registry;
using Slipway.Mlflow;
using Slipway.Mlflow.Contracts;
using Slipway.Server.Http;

namespace Slipway.Server.SlipwayApi;

/// <summary>
/// Slipway's own API under <c>/api/slipway/</c>: alias history, model URI resolution and a version's stored files,
/// which MLflow's protocol has no words for.
/// </summary>
internal sealed class SlipwayEndpoints(IModelRegistry registry)
{
    private static readonly MlflowJsonContext Json = MlflowJsonContext.Default;

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet(MlflowPaths.AliasHistoryTemplate, AliasHistoryAsync);
        routes.MapGet(MlflowPaths.Resolve, ResolveAsync);
        routes.MapGet(MlflowPaths.ModelVersionFiles, FilesAsync);
        routes.MapGet(MlflowPaths.ModelVersionFile, FileAsync);
    }

    private async Task AliasHistoryAsync(HttpContext context)
    {
        var name = context.Request.RouteValues["name"] as string ?? string.Empty;
        // Routing leaves an escaped slash escaped; names cannot contain '/', but the validation message should show it.
        name = name.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        var history = await registry.GetAliasHistoryAsync(name, JsonBody.Query(context, "alias"), context.RequestAborted);
        await Responses.JsonAsync(context, new AliasHistoryResponse { History = history.Select(WireMapper.ToMessage).ToArray() }, Json.AliasHistoryResponse);
    }

    private async Task ResolveAsync(HttpContext context)
    {
        var uri = ModelUri.Parse(JsonBody.Query(context, "uri"));
        var version = await registry.ResolveAsync(uri, context.RequestAborted);
        await Responses.JsonAsync(context, new ModelVersionResponse { ModelVersion = WireMapper.ToMessage(version) }, Json.ModelVersionResponse);
    }

    private async Task FilesAsync(HttpContext context)
    {
        RegistryValidation.Required(JsonBody.Query(context, "name"), "name");
        var version = RegistryValidation.Version(JsonBody.Query(context, "version"));
        var files = await registry.GetModelVersionFilesAsync(JsonBody.Query(context, "name")!, version, context.RequestAborted);
        await Responses.JsonAsync(context, new ModelVersionFilesResponse { Files = files.Select(WireMapper.ToMessage).ToArray() }, Json.ModelVersionFilesResponse);
    }

    private async Task FileAsync(HttpContext context)
    {
        RegistryValidation.Required(JsonBody.Query(context, "name"), "name");
        var version = RegistryValidation.Version(JsonBody.Query(context, "version"));
        var content = await registry.OpenModelVersionFileAsync(JsonBody.Query(context, "name")!, version, JsonBody.Query(context, "path") ?? string.Empty, context.RequestAborted);
        await using (content)
        {
            context.Response.ContentType = "application/octet-stream";
            await content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }
}

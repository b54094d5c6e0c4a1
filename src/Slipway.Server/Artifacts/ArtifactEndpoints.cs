using Microsoft.AspNetCore.Http.Features;
using Slipway.Core.Registry;
using Slipway.Mlflow;
using Slipway.Mlflow.Contracts;
using Slipway.Server.Http;

namespace Slipway.Server.Artifacts;

/// <summary>
/// MLflow's artifact proxy: <c>PUT artifacts/{path}</c> uploads (streamed, any size), <c>GET artifacts/{path}</c>
/// downloads (streamed, verified against the SHA-256 while read), <c>GET artifacts?path=</c> lists a directory.
/// Paths are validated by the registry (no <c>..</c>, no absolute paths, no backslashes).
/// </summary>
internal sealed class ArtifactEndpoints(IModelRegistry registry)
{
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet(MlflowPaths.Artifacts, ListAsync);
        routes.MapPut(MlflowPaths.Artifacts + "/{**path}", UploadAsync);
        routes.MapGet(MlflowPaths.Artifacts + "/{**path}", DownloadAsync);
    }

    /// <summary>
    /// The artifact path of the request. Kestrel decodes every escape except <c>%2F</c>, so an encoded slash is decoded
    /// here: the path is then validated as the caller meant it, and traversal cannot hide behind the escape.
    /// </summary>
    private static string PathOf(HttpContext context)
    {
        var raw = context.Request.RouteValues["path"] as string ?? string.Empty;
        return raw.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
    }

    private async Task ListAsync(HttpContext context)
    {
        var entries = await registry.ListArtifactsAsync(JsonBody.Query(context, "path") ?? string.Empty, context.RequestAborted);
        var response = new ListArtifactsResponse { Files = entries.Count == 0 ? null : entries.Select(WireMapper.ToMessage).ToArray() };
        await Responses.JsonAsync(context, response, MlflowJsonContext.Default.ListArtifactsResponse);
    }

    private async Task UploadAsync(HttpContext context)
    {
        // Model files can be many gigabytes: lift the server-wide JSON limit for this route only; the body streams
        // straight into the blob store.
        var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (limit is { IsReadOnly: false })
        {
            limit.MaxRequestBodySize = null;
        }

        await registry.UploadArtifactAsync(PathOf(context), context.Request.Body, context.RequestAborted);
        await Responses.EmptyAsync(context);
    }

    private async Task DownloadAsync(HttpContext context)
    {
        var content = await registry.OpenArtifactAsync(PathOf(context), context.RequestAborted);
        await using (content)
        {
            context.Response.ContentType = "application/octet-stream";
            if (content.CanSeek)
            {
                context.Response.ContentLength = content.Length;
            }

            await content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }
}

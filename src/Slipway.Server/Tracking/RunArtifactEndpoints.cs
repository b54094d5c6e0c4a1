using Slipway.Core.Tracking;
using Slipway.Mlflow;
using Slipway.Server.Http;

namespace Slipway.Server.Tracking;

/// <summary>MLflow's <c>GET artifacts/list</c>: one directory level of a run's artifacts (uploads go through the artifact proxy).</summary>
internal sealed class RunArtifactEndpoints(IExperimentTracker tracker)
{
    public void Map(IEndpointRouteBuilder routes) => routes.MapGet(MlflowPaths.ListRunArtifacts, ListAsync);

    private async Task ListAsync(HttpContext context)
    {
        var runId = TrackingWireMapper.RunIdOf(JsonBody.Query(context, "run_id"), JsonBody.Query(context, "run_uuid"));
        var path = JsonBody.Query(context, "path");
        var artifacts = await tracker.ListArtifactsAsync(runId, string.IsNullOrEmpty(path) ? null : path, JsonBody.Query(context, "page_token"), context.RequestAborted);
        await Responses.JsonAsync(context, TrackingWireMapper.ToMessage(artifacts), MlflowJsonContext.Default.RunArtifactsResponse);
    }
}

using System.Globalization;
using System.Text.Json;
using Slipway.Core.Deployment;

namespace Slipway.Mlflow.Client;

/// <summary>
/// <see cref="IDeploymentService"/> over a Slipway server's <c>/api/slipway/</c> deployment API: the gates, checks and
/// records run on the server, next to its registry and its inference log. Errors come back as
/// <see cref="Core.Registry.RegistryException"/> with the server's code and message.
/// </summary>
public sealed class SlipwayDeploymentClient : IDeploymentService, IDisposable
{
    private readonly MlflowTransport transport;

    /// <summary>Creates a client for the server at <paramref name="baseUri"/>.</summary>
    /// <param name="baseUri">The server's address, e.g. <c>http://127.0.0.1:5000</c>.</param>
    /// <param name="httpClient">The HTTP client to use; one is created (and disposed with this client) when null.</param>
    /// <param name="userName">Who is calling (recorded with promotions); the OS user when null.</param>
    public SlipwayDeploymentClient(Uri baseUri, HttpClient? httpClient = null, string? userName = null) =>
        transport = new MlflowTransport(baseUri, httpClient, userName);

    /// <inheritdoc />
    public async Task<GatePolicyRevision> SetPolicyAsync(string name, string alias, string document, CancellationToken cancellationToken)
    {
        var body = DeploymentJson.Write(json =>
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("alias", alias);
            json.WriteString("document", document);
            json.WriteEndObject();
        });
        using var answer = await transport.SendDocumentAsync(HttpMethod.Post, transport.Slipway(MlflowPaths.Policies), body, cancellationToken).ConfigureAwait(false);
        return DeploymentJson.ReadPolicyRevision(answer.RootElement.GetProperty("policy"));
    }

    /// <inheritdoc />
    public async Task<GatePolicyRevision> GetPolicyAsync(string name, string alias, long? revision, CancellationToken cancellationToken)
    {
        var uri = revision is { } r
            ? transport.Slipway(MlflowPaths.Policies, ("name", name), ("alias", alias), ("revision", r.ToString(CultureInfo.InvariantCulture)))
            : transport.Slipway(MlflowPaths.Policies, ("name", name), ("alias", alias));
        using var answer = await transport.SendDocumentAsync(HttpMethod.Get, uri, null, cancellationToken).ConfigureAwait(false);
        return DeploymentJson.ReadPolicyRevision(answer.RootElement.GetProperty("policy"));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<GatePolicyRevision>> GetPolicyHistoryAsync(string name, string? alias, CancellationToken cancellationToken)
    {
        var uri = string.IsNullOrEmpty(alias)
            ? transport.Slipway(MlflowPaths.PolicyHistory, ("name", name))
            : transport.Slipway(MlflowPaths.PolicyHistory, ("name", name), ("alias", alias));
        using var answer = await transport.SendDocumentAsync(HttpMethod.Get, uri, null, cancellationToken).ConfigureAwait(false);
        return [.. answer.RootElement.GetProperty("policies").EnumerateArray().Select(DeploymentJson.ReadPolicyRevision)];
    }

    /// <inheritdoc />
    public Task<PromotionRecord> PromoteAsync(PromotionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return PostPromotionAsync(MlflowPaths.Promotions, json =>
        {
            json.WriteString("name", request.Name);
            json.WriteNumber("version", request.Version);
            json.WriteString("alias", request.Alias);
            json.WriteString("reason", request.Reason);
            json.WriteString("mode", DeploymentEvents.Snake(request.Mode.ToString()));
            if (request.Share is { } share)
            {
                json.WriteNumber("share", share);
            }

            if (request.StickyKey is { } sticky)
            {
                json.WriteString("sticky_key", sticky);
            }

            json.WriteBoolean("dry_run", request.DryRun);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<PromotionRecord> RollbackAsync(RollbackRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return PostPromotionAsync(MlflowPaths.Rollbacks, json =>
        {
            json.WriteString("name", request.Name);
            json.WriteString("alias", request.Alias);
            if (request.ToVersion is { } to)
            {
                json.WriteNumber("to_version", to);
            }

            json.WriteBoolean("force", request.Force);
            json.WriteString("reason", request.Reason);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<PromotionRecord> ConcludeSplitAsync(SplitConclusion conclusion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conclusion);
        return PostPromotionAsync(MlflowPaths.DeploymentConclusions, json =>
        {
            json.WriteString("name", conclusion.Name);
            json.WriteString("alias", conclusion.Alias);
            json.WriteNumber("promotion_id", conclusion.PromotionId);
            json.WriteBoolean("promote", conclusion.Promote);
            json.WriteString("reason", conclusion.Reason);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PromotionRecord>> GetPromotionsAsync(string name, string? alias, int maxResults, CancellationToken cancellationToken)
    {
        var max = maxResults.ToString(CultureInfo.InvariantCulture);
        var uri = string.IsNullOrEmpty(alias)
            ? transport.Slipway(MlflowPaths.Promotions, ("name", name), ("max_results", max))
            : transport.Slipway(MlflowPaths.Promotions, ("name", name), ("alias", alias), ("max_results", max));
        using var answer = await transport.SendDocumentAsync(HttpMethod.Get, uri, null, cancellationToken).ConfigureAwait(false);
        return [.. answer.RootElement.GetProperty("promotions").EnumerateArray().Select(DeploymentJson.ReadPromotion)];
    }

    /// <inheritdoc />
    public async Task<DeploymentState?> GetDeploymentAsync(string name, string alias, CancellationToken cancellationToken)
    {
        using var answer = await transport.SendDocumentAsync(
            HttpMethod.Get, transport.Slipway(MlflowPaths.Deployments, ("name", name), ("alias", alias)), null, cancellationToken).ConfigureAwait(false);
        var state = answer.RootElement.GetProperty("deployment");
        return state.ValueKind == JsonValueKind.Null ? null : DeploymentJson.ReadDeployment(state);
    }

    /// <inheritdoc />
    public void Dispose() => transport.Dispose();

    private async Task<PromotionRecord> PostPromotionAsync(string path, Action<Utf8JsonWriter> fields, CancellationToken cancellationToken)
    {
        var body = DeploymentJson.Write(json =>
        {
            json.WriteStartObject();
            fields(json);
            json.WriteEndObject();
        });
        using var answer = await transport.SendDocumentAsync(HttpMethod.Post, transport.Slipway(path), body, cancellationToken).ConfigureAwait(false);
        return DeploymentJson.ReadPromotion(answer.RootElement.GetProperty("promotion"));
    }
}

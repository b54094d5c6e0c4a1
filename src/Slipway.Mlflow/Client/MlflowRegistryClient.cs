using System.Security.Cryptography;
using System.Text.Json.Serialization.Metadata;
using Slipway.Core.Artifacts;
using Slipway.Core.Registry;
using Slipway.Core.Search;
using Slipway.Mlflow.Contracts;

namespace Slipway.Mlflow.Client;

/// <summary>
/// <see cref="IModelRegistry"/> over MLflow's REST API 2.0 as a Slipway server speaks it. Error bodies come back as
/// <see cref="RegistryException"/> with the server's code and message; every request carries the caller's name in
/// <see cref="MlflowPaths.UserHeader"/>; uploads and downloads stream without buffering whole files.
/// </summary>
public sealed class MlflowRegistryClient : IModelRegistry, IDisposable
{
    private static readonly MlflowJsonContext Json = MlflowJsonContext.Default;

    private readonly MlflowTransport transport;

    /// <summary>Creates a client of the server at <paramref name="baseUri"/> (<c>http(s)://host:port</c>, optionally with a path prefix).</summary>
    /// <param name="baseUri">The server's address.</param>
    /// <param name="httpClient">The client to send with; one is created (and disposed with this) when null. Its timeout applies to whole downloads.</param>
    /// <param name="userName">Who is calling, recorded in alias history; <see cref="Environment.UserName"/> when null.</param>
    public MlflowRegistryClient(Uri baseUri, HttpClient? httpClient = null, string? userName = null) =>
        transport = new MlflowTransport(baseUri, httpClient, userName);

    /// <inheritdoc />
    public async Task<RegisteredModel> CreateRegisteredModelAsync(string name, string? description, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken)
    {
        var request = new CreateRegisteredModelRequest { Name = name, Description = description, Tags = WireMapper.ToMessages(tags) };
        var response = await SendAsync(HttpMethod.Post, Api(MlflowPaths.CreateRegisteredModel), request, Json.CreateRegisteredModelRequest, Json.RegisteredModelResponse, cancellationToken).ConfigureAwait(false);
        return WireMapper.ToRegisteredModel(Require(response.RegisteredModel, "registered_model"));
    }

    /// <inheritdoc />
    public async Task<RegisteredModel> GetRegisteredModelAsync(string name, CancellationToken cancellationToken)
    {
        var response = await GetAsync(Api(MlflowPaths.GetRegisteredModel, ("name", name)), Json.RegisteredModelResponse, cancellationToken).ConfigureAwait(false);
        return WireMapper.ToRegisteredModel(Require(response.RegisteredModel, "registered_model"));
    }

    /// <inheritdoc />
    public async Task<RegisteredModel> RenameRegisteredModelAsync(string name, string newName, CancellationToken cancellationToken)
    {
        var request = new RenameRegisteredModelRequest { Name = name, NewName = newName };
        var response = await SendAsync(HttpMethod.Post, Api(MlflowPaths.RenameRegisteredModel), request, Json.RenameRegisteredModelRequest, Json.RegisteredModelResponse, cancellationToken).ConfigureAwait(false);
        return WireMapper.ToRegisteredModel(Require(response.RegisteredModel, "registered_model"));
    }

    /// <inheritdoc />
    public async Task<RegisteredModel> UpdateRegisteredModelAsync(string name, string description, CancellationToken cancellationToken)
    {
        var request = new UpdateRegisteredModelRequest { Name = name, Description = description };
        var response = await SendAsync(HttpMethod.Patch, Api(MlflowPaths.UpdateRegisteredModel), request, Json.UpdateRegisteredModelRequest, Json.RegisteredModelResponse, cancellationToken).ConfigureAwait(false);
        return WireMapper.ToRegisteredModel(Require(response.RegisteredModel, "registered_model"));
    }

    /// <inheritdoc />
    public Task DeleteRegisteredModelAsync(string name, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, Api(MlflowPaths.DeleteRegisteredModel), new RegisteredModelRequest { Name = name }, Json.RegisteredModelRequest, Json.EmptyMessage, cancellationToken);

    /// <inheritdoc />
    public async Task<Page<RegisteredModel>> SearchRegisteredModelsAsync(string? filter, IReadOnlyList<string>? orderBy, int maxResults, string? pageToken, CancellationToken cancellationToken)
    {
        var uri = Api(MlflowPaths.SearchRegisteredModels, SearchParameters(filter, orderBy, maxResults, pageToken));
        var response = await GetAsync(uri, Json.SearchRegisteredModelsResponse, cancellationToken).ConfigureAwait(false);
        var items = response.RegisteredModels?.Select(WireMapper.ToRegisteredModel).ToArray() ?? [];
        return new Page<RegisteredModel>(items, NullIfEmpty(response.NextPageToken));
    }

    /// <inheritdoc />
    public Task SetRegisteredModelTagAsync(string name, string key, string value, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, Api(MlflowPaths.SetRegisteredModelTag), new RegisteredModelTagRequest { Name = name, Key = key, Value = value }, Json.RegisteredModelTagRequest, Json.EmptyMessage, cancellationToken);

    /// <inheritdoc />
    public Task DeleteRegisteredModelTagAsync(string name, string key, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, Api(MlflowPaths.DeleteRegisteredModelTag), new RegisteredModelTagRequest { Name = name, Key = key }, Json.RegisteredModelTagRequest, Json.EmptyMessage, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<ModelVersion>> GetLatestVersionsAsync(string name, IReadOnlyList<string>? stages, CancellationToken cancellationToken)
    {
        var request = new GetLatestVersionsRequest { Name = name, Stages = stages is { Count: > 0 } ? stages : null };
        var response = await SendAsync(HttpMethod.Post, Api(MlflowPaths.GetLatestVersions), request, Json.GetLatestVersionsRequest, Json.SearchModelVersionsResponse, cancellationToken).ConfigureAwait(false);
        return response.ModelVersions?.Select(WireMapper.ToModelVersion).ToArray() ?? [];
    }

    /// <inheritdoc />
    public async Task<ModelVersion> CreateModelVersionAsync(NewModelVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        var request = new CreateModelVersionRequest
        {
            Name = version.Name,
            Source = version.Source,
            RunId = NullIfEmpty(version.RunId),
            RunLink = NullIfEmpty(version.RunLink),
            Description = NullIfEmpty(version.Description),
            UserId = NullIfEmpty(version.UserId),
            Tags = WireMapper.ToMessages(version.Tags),
        };
        var response = await SendAsync(HttpMethod.Post, Api(MlflowPaths.CreateModelVersion), request, Json.CreateModelVersionRequest, Json.ModelVersionResponse, cancellationToken).ConfigureAwait(false);
        return WireMapper.ToModelVersion(Require(response.ModelVersion, "model_version"));
    }

    /// <inheritdoc />
    public async Task<ModelVersion> GetModelVersionAsync(string name, long version, CancellationToken cancellationToken)
    {
        var uri = Api(MlflowPaths.GetModelVersion, ("name", name), ("version", WireMapper.FormatVersion(version)));
        var response = await GetAsync(uri, Json.ModelVersionResponse, cancellationToken).ConfigureAwait(false);
        return WireMapper.ToModelVersion(Require(response.ModelVersion, "model_version"));
    }

    /// <inheritdoc />
    public async Task<ModelVersion> UpdateModelVersionAsync(string name, long version, string description, CancellationToken cancellationToken)
    {
        var request = new ModelVersionRequest { Name = name, Version = WireMapper.FormatVersion(version), Description = description };
        var response = await SendAsync(HttpMethod.Patch, Api(MlflowPaths.UpdateModelVersion), request, Json.ModelVersionRequest, Json.ModelVersionResponse, cancellationToken).ConfigureAwait(false);
        return WireMapper.ToModelVersion(Require(response.ModelVersion, "model_version"));
    }

    /// <inheritdoc />
    public Task DeleteModelVersionAsync(string name, long version, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, Api(MlflowPaths.DeleteModelVersion), new ModelVersionRequest { Name = name, Version = WireMapper.FormatVersion(version) }, Json.ModelVersionRequest, Json.EmptyMessage, cancellationToken);

    /// <inheritdoc />
    public async Task<Page<ModelVersion>> SearchModelVersionsAsync(string? filter, IReadOnlyList<string>? orderBy, int maxResults, string? pageToken, CancellationToken cancellationToken)
    {
        var uri = Api(MlflowPaths.SearchModelVersions, SearchParameters(filter, orderBy, maxResults, pageToken));
        var response = await GetAsync(uri, Json.SearchModelVersionsResponse, cancellationToken).ConfigureAwait(false);
        var items = response.ModelVersions?.Select(WireMapper.ToModelVersion).ToArray() ?? [];
        return new Page<ModelVersion>(items, NullIfEmpty(response.NextPageToken));
    }

    /// <inheritdoc />
    public async Task<string> GetModelVersionDownloadUriAsync(string name, long version, CancellationToken cancellationToken)
    {
        var uri = Api(MlflowPaths.GetDownloadUri, ("name", name), ("version", WireMapper.FormatVersion(version)));
        var response = await GetAsync(uri, Json.DownloadUriResponse, cancellationToken).ConfigureAwait(false);
        return Require(response.ArtifactUri, "artifact_uri");
    }

    /// <inheritdoc />
    public Task SetModelVersionTagAsync(string name, long version, string key, string value, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, Api(MlflowPaths.SetModelVersionTag), new ModelVersionTagRequest { Name = name, Version = WireMapper.FormatVersion(version), Key = key, Value = value }, Json.ModelVersionTagRequest, Json.EmptyMessage, cancellationToken);

    /// <inheritdoc />
    public Task DeleteModelVersionTagAsync(string name, long version, string key, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, Api(MlflowPaths.DeleteModelVersionTag), new ModelVersionTagRequest { Name = name, Version = WireMapper.FormatVersion(version), Key = key }, Json.ModelVersionTagRequest, Json.EmptyMessage, cancellationToken);

    /// <inheritdoc />
    public Task SetAliasAsync(string name, string alias, long version, string? reason, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, Api(MlflowPaths.Alias), new AliasRequest { Name = name, Alias = alias, Version = WireMapper.FormatVersion(version), Reason = NullIfEmpty(reason) }, Json.AliasRequest, Json.EmptyMessage, cancellationToken);

    /// <inheritdoc />
    public Task DeleteAliasAsync(string name, string alias, string? reason, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, Api(MlflowPaths.Alias), new AliasRequest { Name = name, Alias = alias, Reason = NullIfEmpty(reason) }, Json.AliasRequest, Json.EmptyMessage, cancellationToken);

    /// <inheritdoc />
    public async Task<ModelVersion> GetModelVersionByAliasAsync(string name, string alias, CancellationToken cancellationToken)
    {
        var response = await GetAsync(Api(MlflowPaths.Alias, ("name", name), ("alias", alias)), Json.ModelVersionResponse, cancellationToken).ConfigureAwait(false);
        return WireMapper.ToModelVersion(Require(response.ModelVersion, "model_version"));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AliasHistoryEntry>> GetAliasHistoryAsync(string name, string? alias, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var path = MlflowPaths.AliasHistoryTemplate.Replace("{name}", Uri.EscapeDataString(name), StringComparison.Ordinal);
        var uri = alias is null ? Slipway(path) : Slipway(path, ("alias", alias));
        var response = await GetAsync(uri, Json.AliasHistoryResponse, cancellationToken).ConfigureAwait(false);
        return response.History?.Select(WireMapper.ToAliasHistoryEntry).ToArray() ?? [];
    }

    /// <inheritdoc />
    public async Task<ModelVersion> ResolveAsync(ModelUri uri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var response = await GetAsync(Slipway(MlflowPaths.Resolve, ("uri", uri.ToString())), Json.ModelVersionResponse, cancellationToken).ConfigureAwait(false);
        return WireMapper.ToModelVersion(Require(response.ModelVersion, "model_version"));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredFile>> GetModelVersionFilesAsync(string name, long version, CancellationToken cancellationToken)
    {
        var uri = Slipway(MlflowPaths.ModelVersionFiles, ("name", name), ("version", WireMapper.FormatVersion(version)));
        var response = await GetAsync(uri, Json.ModelVersionFilesResponse, cancellationToken).ConfigureAwait(false);
        return response.Files?.Select(WireMapper.ToStoredFile).ToArray() ?? [];
    }

    /// <inheritdoc />
    public Task<Stream> OpenModelVersionFileAsync(string name, long version, string path, CancellationToken cancellationToken) =>
        transport.OpenStreamAsync(Slipway(MlflowPaths.ModelVersionFile, ("name", name), ("version", WireMapper.FormatVersion(version)), ("path", path)), cancellationToken);

    /// <inheritdoc />
    public async Task<StoredFile> UploadArtifactAsync(string path, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var normalized = ArtifactPath.Normalize(path);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var hashing = new HashingReadStream(content, hash);
        await transport.PutArtifactAsync(normalized, hashing, cancellationToken).ConfigureAwait(false);
        return new StoredFile(normalized, hashing.FinishHash(), hashing.BytesRead);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ArtifactEntry>> ListArtifactsAsync(string path, CancellationToken cancellationToken)
    {
        var uri = string.IsNullOrEmpty(path) ? transport.BaseUri + MlflowPaths.Artifacts : MlflowTransport.Build(transport.BaseUri + MlflowPaths.Artifacts, [("path", path)]);
        var response = await GetAsync(uri, Json.ListArtifactsResponse, cancellationToken).ConfigureAwait(false);
        return response.Files?.Select(WireMapper.ToArtifactEntry).ToArray() ?? [];
    }

    /// <inheritdoc />
    public Task<Stream> OpenArtifactAsync(string path, CancellationToken cancellationToken) =>
        transport.OpenStreamAsync(transport.ArtifactUri(ArtifactPath.Normalize(path)), cancellationToken);

    /// <inheritdoc />
    public void Dispose() => transport.Dispose();

    private static T Require<T>(T? value, string field)
        where T : class => MlflowTransport.Require(value, field);

    private static string? NullIfEmpty(string? value) => MlflowTransport.NullIfEmpty(value);

    private static (string Key, string Value)[] SearchParameters(string? filter, IReadOnlyList<string>? orderBy, int maxResults, string? pageToken)
    {
        var query = new List<(string, string)>();
        if (!string.IsNullOrEmpty(filter))
        {
            query.Add(("filter", filter));
        }

        query.Add(("max_results", maxResults.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        foreach (var term in orderBy ?? [])
        {
            query.Add(("order_by", term));
        }

        if (!string.IsNullOrEmpty(pageToken))
        {
            query.Add(("page_token", pageToken));
        }

        return [.. query];
    }

    private string Api(string path, params (string Key, string Value)[] query) => transport.Api(path, query);

    private string Slipway(string path, params (string Key, string Value)[] query) => transport.Slipway(path, query);

    private Task<TResponse> GetAsync<TResponse>(string uri, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken) =>
        transport.GetAsync(uri, responseType, cancellationToken);

    private Task<TResponse> SendAsync<TRequest, TResponse>(HttpMethod method, string uri, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken) =>
        transport.SendAsync(method, uri, body, requestType, responseType, cancellationToken);
}

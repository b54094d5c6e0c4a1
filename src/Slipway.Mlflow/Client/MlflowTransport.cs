using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Slipway.Core.Registry;
using Slipway.Mlflow.Contracts;

namespace Slipway.Mlflow.Client;

/// <summary>
/// What the MLflow-protocol clients share: addresses under the server's base URI, the caller's name in
/// <see cref="MlflowPaths.UserHeader"/> on every request, JSON through the source-generated context, and MLflow error
/// bodies turned back into <see cref="RegistryException"/> with the server's code and message.
/// </summary>
internal sealed class MlflowTransport : IDisposable
{
    private readonly HttpClient http;
    private readonly bool ownsHttp;
    private readonly string user;

    public MlflowTransport(Uri baseUri, HttpClient? httpClient, string? userName)
    {
        ArgumentNullException.ThrowIfNull(baseUri);
        if (!baseUri.IsAbsoluteUri || (baseUri.Scheme != Uri.UriSchemeHttp && baseUri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"The registry address must be an http(s) URI, got '{baseUri}'.", nameof(baseUri));
        }

        BaseUri = baseUri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        ownsHttp = httpClient is null;
        http = httpClient ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        user = Uri.EscapeDataString(userName ?? Environment.UserName);
    }

    /// <summary>The server's address without a trailing slash.</summary>
    public string BaseUri { get; }

    public static T Require<T>(T? value, string field)
        where T : class =>
        value ?? throw new InvalidDataException($"The server's answer lacks '{field}'.");

    public static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary><paramref name="path"/> with the query parameters appended, each value URI-escaped; repeated keys are kept.</summary>
    public static string Build(string path, IReadOnlyList<(string Key, string Value)> query)
    {
        if (query.Count == 0)
        {
            return path;
        }

        var builder = new StringBuilder(path).Append('?');
        for (var i = 0; i < query.Count; i++)
        {
            if (i > 0)
            {
                builder.Append('&');
            }

            builder.Append(query[i].Key).Append('=').Append(Uri.EscapeDataString(query[i].Value));
        }

        return builder.ToString();
    }

    /// <summary>An address of MLflow's REST API.</summary>
    public string Api(string path, params (string Key, string Value)[] query) => Build(BaseUri + MlflowPaths.Api + path, query);

    /// <summary>An address of Slipway's own API.</summary>
    public string Slipway(string path, params (string Key, string Value)[] query) => Build(BaseUri + MlflowPaths.Slipway + path, query);

    /// <summary>The artifact proxy's address of an already normalized relative path, each segment escaped.</summary>
    public string ArtifactUri(string normalizedPath) =>
        BaseUri + MlflowPaths.Artifacts + "/" + string.Join('/', normalizedPath.Split('/').Select(Uri.EscapeDataString));

    public async Task<TResponse> GetAsync<TResponse>(string uri, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        return await ReadAsync(request, responseType, cancellationToken).ConfigureAwait(false);
    }

    public async Task<TResponse> SendAsync<TRequest, TResponse>(HttpMethod method, string uri, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = JsonContent.Create(body, requestType) };
        return await ReadAsync(request, responseType, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a JSON body (or none) and parses the answer as a JSON document; errors as <see cref="ReadAsync"/>.</summary>
    public async Task<JsonDocument> SendDocumentAsync(HttpMethod method, string uri, string? jsonBody, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri);
        if (jsonBody is not null)
        {
            request.Content = new StringContent(jsonBody, Encoding.UTF8, "application/json");
        }

        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<Stream> OpenStreamAsync(string uri, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        var response = await SendRawAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new ResponseStream(response, stream);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Streams <paramref name="content"/> to the artifact proxy with <c>PUT</c>; chunked, never held in memory.</summary>
    public async Task PutArtifactAsync(string normalizedPath, Stream content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, ArtifactUri(normalizedPath));
        request.Content = new StreamContent(content, 81920);
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (ownsHttp)
        {
            http.Dispose();
        }
    }

    private async Task<TResponse> ReadAsync<TResponse>(HttpRequestMessage request, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync(stream, responseType, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException($"The server answered {request.RequestUri} with an empty body.");
        }
    }

    private Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        request.Headers.TryAddWithoutValidation(MlflowPaths.UserHeader, user);
        return http.SendAsync(request, completion, cancellationToken);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        ErrorMessage? error = null;
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                error = await JsonSerializer.DeserializeAsync(stream, MlflowJsonContext.Default.ErrorMessage, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (JsonException)
        {
            // Not an MLflow error body (a proxy's HTML page, say): report the status below.
        }

        if (error is not null && ErrorCodes.TryParse(error.ErrorCode, out var code))
        {
            throw new RegistryException(code, error.Message ?? string.Empty);
        }

        var detail = error?.ErrorCode is null ? response.ReasonPhrase : $"{error.ErrorCode}: {error.Message}";
        throw new HttpRequestException(
            $"The server at {response.RequestMessage?.RequestUri?.GetLeftPart(UriPartial.Authority)} answered {(int)response.StatusCode} ({detail}).",
            null,
            response.StatusCode == 0 ? HttpStatusCode.InternalServerError : response.StatusCode);
    }
}

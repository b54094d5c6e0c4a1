namespace Slipway.ServeHost;

/// <summary>
/// <c>slipway-serve --health-check</c>: GET <c>/v2/health/ready</c> on the first listen address (a wildcard host
/// becomes 127.0.0.1), or <c>/health</c> where that is not found (the registry server of <c>slipway-serve server</c>);
/// exit 0 when it answers 200 within 2 seconds, 1 otherwise.
/// </summary>
public static class HealthCheck
{
    /// <summary>The argument that selects the check.</summary>
    public const string Argument = "--health-check";

    /// <summary>Checks the server listening on the first of <paramref name="urls"/> (separated by ';').</summary>
    public static async Task<int> RunAsync(string urls, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(urls);
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? ServeHostSettings.DefaultUrls;
        var local = first.Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var response = await client.GetAsync(new Uri(new Uri(local), "/v2/health/ready"), cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                using var server = await client.GetAsync(new Uri(new Uri(local), "/health"), cancellationToken).ConfigureAwait(false);
                return server.IsSuccessStatusCode ? 0 : 1;
            }

            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            await Console.Error.WriteLineAsync("health check failed: " + e.Message).ConfigureAwait(false);
            return 1;
        }
    }
}

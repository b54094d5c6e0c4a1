using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Slipway.Deploy.Webhooks;

/// <summary>
/// Sends one webhook request as MLflow does: POST of the <see cref="WebhookEnvelope"/> with <c>Content-Type:
/// application/json</c>, <c>X-MLflow-Delivery-Id</c>, <c>X-MLflow-Timestamp</c> and, when the webhook has a secret,
/// <c>X-MLflow-Signature</c> (see <see cref="WebhookSignature"/>); a GitHub dispatches URL gets the envelope wrapped
/// as GitHub requires (see <see cref="GitHubDispatch"/>). Retrying is the caller's business: one call, one request.
/// </summary>
/// <param name="http">The client; give it a handler that does not follow redirects (a redirected POST would become a GET).</param>
/// <param name="time">The clock for the timestamps and the timeout.</param>
/// <param name="timeout">Per-request timeout; MLflow's default is 30 s, Slipway's dispatcher uses 10 s.</param>
public sealed class WebhookSender(HttpClient http, TimeProvider time, TimeSpan timeout)
{
    /// <summary>How much of a response body is kept (characters).</summary>
    public const int MaxResponseChars = 4096;

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>The per-request timeout.</summary>
    public TimeSpan Timeout => timeout;

    /// <summary>Sends an event's body to <paramref name="url"/>.</summary>
    /// <param name="url">The webhook's endpoint.</param>
    /// <param name="secret">The HMAC key, or null for an unsigned request.</param>
    /// <param name="deliveryId">The delivery id header.</param>
    /// <param name="eventType"><c>entity.action</c>.</param>
    /// <param name="dataJson">The event's <c>data</c>.</param>
    /// <param name="cancellationToken">Cancels sending (not a timeout: that is reported in the result).</param>
    public async Task<WebhookSendResult> SendAsync(string url, string? secret, string deliveryId, string eventType, string dataJson, CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        var body = WebhookEnvelope.Build(eventType, dataJson, startedAt);
        var timestamp = startedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var dispatch = GitHubDispatch.IsDispatchUrl(url);
        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(dispatch ? GitHubDispatch.Body(eventType, body) : body));
        request.Content.Headers.ContentType = Json;
        request.Headers.TryAddWithoutValidation(WebhookSignature.DeliveryIdHeader, deliveryId);
        request.Headers.TryAddWithoutValidation(WebhookSignature.TimestampHeader, timestamp);
        if (dispatch)
        {
            // GitHub authenticates the caller by token and needs a User-Agent; the secret is that token here.
            request.Headers.TryAddWithoutValidation("Accept", "application/vnd.github+json");
            request.Headers.TryAddWithoutValidation("User-Agent", "slipway-webhooks");
            if (!string.IsNullOrEmpty(secret))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            }
        }
        else if (!string.IsNullOrEmpty(secret))
        {
            request.Headers.TryAddWithoutValidation(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, deliveryId, timestamp, body));
        }

        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var text = await ReadPrefixAsync(response.Content, linked.Token).ConfigureAwait(false);
            return new WebhookSendResult((int)response.StatusCode, text, null, startedAt, time.GetElapsedTime(started), RetryAfter(response, time.GetUtcNow()));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookSendResult(null, null, FormattableString.Invariant($"timed out after {timeout.TotalSeconds:0.###} s"), startedAt, time.GetElapsedTime(started), null);
        }
        catch (HttpRequestException e)
        {
            return new WebhookSendResult(null, null, "connection failed: " + e.Message, startedAt, time.GetElapsedTime(started), null);
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        return header?.Date is { } date ? (date > now ? date - now : TimeSpan.Zero) : null;
    }

    private static async Task<string> ReadPrefixAsync(HttpContent content, CancellationToken cancellationToken)
    {
        // A receiver may answer with a large page; only the start is worth keeping in the attempt log.
        using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var buffer = new char[MaxResponseChars];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await reader.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return new string(buffer, 0, read);
    }
}

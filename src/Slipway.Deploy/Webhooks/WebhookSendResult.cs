namespace Slipway.Deploy.Webhooks;

/// <summary>What one POST to a webhook came to.</summary>
/// <param name="StatusCode">The response's status, or null when no response came (timeout, connection error).</param>
/// <param name="ResponseBody">The response body (at most <see cref="WebhookSender.MaxResponseChars"/> characters), or null.</param>
/// <param name="Error">Why no response came, or null.</param>
/// <param name="StartedAt">When the request started.</param>
/// <param name="Duration">Until the response or the error.</param>
/// <param name="RetryAfter">The response's <c>Retry-After</c>, or null.</param>
public sealed record WebhookSendResult(
    int? StatusCode,
    string? ResponseBody,
    string? Error,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    TimeSpan? RetryAfter)
{
    /// <summary>Whether the receiver took it (2xx).</summary>
    public bool IsSuccess => StatusCode is >= 200 and < 300;
}

using Slipway.Core.Deployment.Webhooks;

namespace Slipway.Deploy.Webhooks;

/// <summary>
/// What follows an attempt. 2xx: delivered. 429 (after <c>Retry-After</c> when it asks for longer than the backoff),
/// 5xx, timeouts and connection errors: retried with exponential backoff and jitter until
/// <see cref="WebhookDispatcherOptions.MaxAttempts"/>. Any other status (4xx, an unfollowed 3xx): failed at once,
/// since the same request would be refused again. MLflow retries the same statuses in-process (429, 500, 502, 503,
/// 504, backoff factor 1 s capped at 60 s, honouring Retry-After); Slipway's retries are durable and longer.
/// </summary>
public static class WebhookRetryPolicy
{
    /// <summary>The delivery's state after attempt number <paramref name="attempt"/> and when it is retried (null when it ended).</summary>
    public static (WebhookDeliveryState State, DateTimeOffset? NextAttemptAt) Decide(WebhookSendResult result, int attempt, WebhookDispatcherOptions options)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        if (result.IsSuccess)
        {
            return (WebhookDeliveryState.Delivered, null);
        }

        var retryable = result.StatusCode is null or 429 or >= 500;
        if (!retryable || attempt >= options.MaxAttempts)
        {
            return (WebhookDeliveryState.Failed, null);
        }

        var delay = Backoff(attempt, options);
        if (result.StatusCode == 429 && result.RetryAfter is { } asked)
        {
            var honoured = asked > options.MaxRetryAfter ? options.MaxRetryAfter : asked;
            delay = honoured > delay ? honoured : delay;
        }

        return (WebhookDeliveryState.Pending, result.StartedAt + result.Duration + delay);
    }

    /// <summary>
    /// The delay after attempt <paramref name="attempt"/> (1-based): <c>min(MaxDelay, BaseDelay · 2^(attempt−1))</c>
    /// plus a uniform jitter of up to <see cref="WebhookDispatcherOptions.JitterFraction"/> of it, so that receivers
    /// coming back up are not hit by every retry at once.
    /// </summary>
    public static TimeSpan Backoff(int attempt, WebhookDispatcherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var exponent = Math.Min(attempt - 1, 30);
        var ticks = Math.Min((double)options.MaxDelay.Ticks, options.BaseDelay.Ticks * Math.Pow(2, exponent));
        return TimeSpan.FromTicks((long)(ticks * (1 + (options.JitterFraction * options.Random.NextDouble()))));
    }
}

namespace Slipway.Deploy.Webhooks;

/// <summary>How the webhook dispatcher polls, sends and retries.</summary>
public sealed record WebhookDispatcherOptions
{
    /// <summary>How often the outbox and the due deliveries are checked. Default 1 s.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Per-request timeout. Default 10 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a claimed delivery stays leased to this dispatcher; after that another dispatcher (or this one after a
    /// restart) may send it again. Must exceed <see cref="RequestTimeout"/>. Default 30 s.
    /// </summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Delay before the first retry; each further retry doubles it. Default 1 s.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest backoff delay before jitter. Default 5 min.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest <c>Retry-After</c> honoured; a longer one is cut to this. Default 1 h.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Jitter added to each backoff delay, as a fraction of it (uniform in [0, this)). Default 0.25.</summary>
    public double JitterFraction { get; init; } = 0.25;

    /// <summary>Attempts before a delivery is given up as failed. Default 10.</summary>
    public int MaxAttempts { get; init; } = 10;

    /// <summary>Deliveries claimed and sent (concurrently) per round. Default 16.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Outbox events fanned out per round. Default 100.</summary>
    public int FanOutBatchSize { get; init; } = 100;

    /// <summary>The jitter's random source; tests pass a seeded one. Default <see cref="Random.Shared"/>.</summary>
    public Random Random { get; init; } = Random.Shared;
}

using Slipway.Core.Deployment.Webhooks;

namespace Slipway.Deploy.Webhooks;

/// <summary>
/// Delivers the event outbox to webhooks, at least once. Each round (every
/// <see cref="WebhookDispatcherOptions.PollInterval"/>) it fans new events out into durable deliveries (cursor and
/// deliveries in one transaction), claims the due ones under a lease, POSTs them concurrently, and records each
/// attempt with the delivery's next state. A delivery claimed by a process that died before recording is claimed
/// again when its lease expires and sent with the same delivery id; several dispatchers may share one database.
/// </summary>
public sealed class WebhookDispatcher : IAsyncDisposable
{
    private readonly IWebhookStore _store;
    private readonly WebhookSender _sender;
    private readonly TimeProvider _time;
    private readonly WebhookDispatcherOptions _options;
    private readonly Action<Exception>? _onError;
    private readonly string _owner = "dispatcher-" + Guid.NewGuid().ToString("N");
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    /// <summary>Creates a dispatcher; nothing runs until <see cref="StartAsync"/> (or <see cref="RunOnceAsync"/>).</summary>
    /// <param name="store">Webhooks, deliveries and the outbox cursor.</param>
    /// <param name="http">The client (see <see cref="WebhookSender"/> about redirects).</param>
    /// <param name="time">The clock for due times, leases, timeouts and the poll interval.</param>
    /// <param name="options">Polling, timeout, lease and retry settings; null for the defaults.</param>
    /// <param name="onError">Told of a round that failed (e.g. the database was unreachable); the next round tries again.</param>
    public WebhookDispatcher(IWebhookStore store, HttpClient http, TimeProvider time, WebhookDispatcherOptions? options = null, Action<Exception>? onError = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _time = time;
        _options = options ?? new WebhookDispatcherOptions();
        if (_options.LeaseDuration <= _options.RequestTimeout)
        {
            throw new ArgumentException("The lease must outlast the request timeout, or a slow request could be sent twice at once.", nameof(options));
        }

        _sender = new WebhookSender(http, time, _options.RequestTimeout);
        _onError = onError;
    }

    /// <summary>This dispatcher's lease owner id (unique per instance).</summary>
    public string Owner => _owner;

    /// <summary>Starts the polling loop in the background.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop ??= Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops the loop and waits for the round in progress (its requests are cancelled; their deliveries are retried later).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is { } loop)
        {
            await loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Rounds until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // Rounds back to back while there is work; wait only when a round found nothing.
                if (await RunOnceAsync(cancellationToken).ConfigureAwait(false) > 0)
                {
                    continue;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed round (database briefly unreachable) must not end delivery; the next one retries.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _onError?.Invoke(e);
            }

            try
            {
                await Task.Delay(_options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One round: fan out new events, then send the due deliveries. Returns the events fanned out plus the deliveries sent.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var fannedOut = await _store.FanOutAsync(_options.FanOutBatchSize, Now(), static () => Guid.NewGuid().ToString(), cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var due = await _store.ClaimDueAsync(_owner, now.ToUnixTimeMilliseconds(), (now + _options.LeaseDuration).ToUnixTimeMilliseconds(), _options.BatchSize, cancellationToken).ConfigureAwait(false);
        if (due.Count == 0)
        {
            return fannedOut;
        }

        var sends = new Task[due.Count];
        for (var i = 0; i < due.Count; i++)
        {
            sends[i] = DeliverAsync(due[i], cancellationToken);
        }

        await Task.WhenAll(sends).ConfigureAwait(false);
        return fannedOut + due.Count;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _stopping.Dispose();
        }
    }

    private async Task DeliverAsync(DueDelivery due, CancellationToken cancellationToken)
    {
        var delivery = due.Delivery;
        var result = await _sender.SendAsync(due.Url, due.Secret, delivery.Id, delivery.EventType, delivery.Payload, cancellationToken).ConfigureAwait(false);
        var number = delivery.Attempts + 1;
        var (state, next) = WebhookRetryPolicy.Decide(result, number, _options);
        var error = result.Error ?? (result.IsSuccess ? null : Describe(result));
        var attempt = new WebhookAttempt(
            delivery.Id,
            number,
            result.StartedAt.ToUnixTimeMilliseconds(),
            (long)result.Duration.TotalMilliseconds,
            result.StatusCode,
            error,
            next?.ToUnixTimeMilliseconds());

        // Recorded even when stopping: the request went out, and the log must say so.
        await _store.RecordAttemptAsync(_owner, attempt, state, CancellationToken.None).ConfigureAwait(false);
    }

    private static string Describe(WebhookSendResult result)
    {
        var body = result.ResponseBody ?? string.Empty;
        if (body.Length > 200)
        {
            body = body[..200];
        }

        return FormattableString.Invariant($"HTTP {result.StatusCode}") + (body.Length == 0 ? string.Empty : ": " + body);
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}

using Slipway.Core.Registry;

namespace Slipway.Serving.Hosting;

/// <summary>
/// Serves many models in one process. Each model's version is downloaded from the registry into a local cache,
/// loaded, validated by replaying its input example, and only then made live; alias URIs are polled and a moved alias
/// is swapped in the same way in the background. Ready when every model has a live version; <see cref="StopAsync"/>
/// refuses new requests (503) and waits for those in flight.
/// </summary>
public sealed class ModelHost : IAsyncDisposable
{
    private readonly IModelRegistry registry;
    private readonly ServedModel[] models;
    private readonly Dictionary<string, ServedModel> byName;
    private readonly CancellationTokenSource stopping = new();
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task[] followers = [];
    private long inFlight;
    private int stopRequested;

    /// <summary>Creates the host; nothing is loaded until <see cref="StartAsync"/>.</summary>
    /// <exception cref="ArgumentException">No models, or a model name given twice.</exception>
    public ModelHost(IModelRegistry registry, ModelHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        this.registry = registry;
        Options = options;
        Cache = new ModelPackageCache(options.CacheDirectory);
        models = new ServedModel[options.Models.Count];
        byName = new Dictionary<string, ServedModel>(StringComparer.Ordinal);
        for (var i = 0; i < models.Length; i++)
        {
            var model = options.Models[i];
            model.Validate();
            models[i] = new ServedModel(this, model);
            if (!byName.TryAdd(model.Uri.Name, models[i]))
            {
                throw new ArgumentException($"model '{model.Uri.Name}' is served twice; serve each registered model once.", nameof(options));
            }
        }
    }

    /// <summary>The host's options.</summary>
    public ModelHostOptions Options { get; }

    /// <summary>The served models, in the order configured.</summary>
    public IReadOnlyList<ServedModel> Models => models;

    /// <summary>Whether every model has a live version and the host is not stopping.</summary>
    public bool IsReady
    {
        get
        {
            if (IsStopping)
            {
                return false;
            }

            foreach (var model in models)
            {
                if (!model.IsLoaded)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Whether <see cref="StopAsync"/> was called: new requests get 503.</summary>
    public bool IsStopping => Volatile.Read(ref stopRequested) != 0;

    /// <summary>Requests holding a lease now.</summary>
    public long InFlight => Interlocked.Read(ref inFlight);

    internal ModelPackageCache Cache { get; }

    /// <summary>The model served under <paramref name="name"/>, or null.</summary>
    public ServedModel? Find(string name) => byName.GetValueOrDefault(name);

    /// <summary>
    /// Starts loading every model and following aliases in the background; returns at once. Use
    /// <see cref="WaitUntilReadyAsync"/> or <see cref="IsReady"/> to know when all are live.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (followers.Length > 0)
        {
            throw new InvalidOperationException("the model host is already started.");
        }

        followers = new Task[models.Length];
        for (var i = 0; i < models.Length; i++)
        {
            var model = models[i];
            followers[i] = Task.Run(() => model.FollowAsync(registry, stopping.Token), CancellationToken.None);
        }

        OnVersionLive();
        return Task.CompletedTask;
    }

    /// <summary>Completes when every model has a live version.</summary>
    public Task WaitUntilReadyAsync(CancellationToken cancellationToken) => ready.Task.WaitAsync(cancellationToken);

    /// <summary>
    /// Stops following aliases, refuses new requests with 503 and waits until every request in flight is answered
    /// (or <paramref name="cancellationToken"/> gives up waiting); then releases the live versions.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref stopRequested, 1) == 0)
        {
            await stopping.CancelAsync().ConfigureAwait(false);
            if (Interlocked.Read(ref inFlight) == 0)
            {
                drained.TrySetResult();
            }
        }

        try
        {
            await drained.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            try
            {
                await Task.WhenAll(followers).ConfigureAwait(false);
            }
            finally
            {
                foreach (var model in models)
                {
                    model.Retire();
                }
            }
        }
    }

    /// <summary>Stops without waiting for requests in flight beyond what they take to finish on their own.</summary>
    public async ValueTask DisposeAsync()
    {
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await StopAsync(giveUp.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Requests still running after the grace period keep their versions alive until they end.
        }

        stopping.Dispose();
    }

    /// <summary>Counts a request in; 503 once stopping.</summary>
    internal void EnterRequest()
    {
        Interlocked.Increment(ref inFlight);
        if (IsStopping)
        {
            ExitRequest();
            throw ScoringException.Unavailable("the server is shutting down.");
        }
    }

    /// <summary>Counts a request out; the last one while stopping completes the drain.</summary>
    internal void ExitRequest()
    {
        if (Interlocked.Decrement(ref inFlight) == 0 && IsStopping)
        {
            drained.TrySetResult();
        }
    }

    internal void OnVersionLive()
    {
        if (IsReady)
        {
            ready.TrySetResult();
        }
    }
}

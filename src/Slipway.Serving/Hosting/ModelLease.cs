namespace Slipway.Serving.Hosting;

/// <summary>
/// A hold on the version of a served model that was live when the lease was taken: bind the request against
/// <see cref="Contract"/>, score it with <see cref="RunAsync"/>, then dispose the lease. A swap in between does not
/// affect the lease; the old version's runtime is disposed only after its last lease ends. Not thread-safe.
/// </summary>
public sealed class ModelLease : IDisposable
{
    private readonly ModelHost host;
    private LoadedVersion? version;

    internal ModelLease(ModelHost host, ServedModel model, LoadedVersion version, TrafficVariant variant = TrafficVariant.Stable, long splitId = 0)
    {
        this.host = host;
        this.version = version;
        Model = model;
        Contract = version.Contract;
        Variant = variant;
        SplitId = splitId;
    }

    /// <summary>The served model.</summary>
    public ServedModel Model { get; }

    /// <summary>The leased version's contract.</summary>
    public ModelContract Contract { get; }

    /// <summary>Which side of the alias's traffic split the lease is on; <see cref="TrafficVariant.Stable"/> without a split.</summary>
    public TrafficVariant Variant { get; }

    /// <summary>
    /// The promotion id of the traffic split that routed the request (<see cref="TrafficSplit.PromotionId"/>), or 0 when
    /// no split was running: requests are counted against the split they were routed by.
    /// </summary>
    public long SplitId { get; }

    /// <summary>
    /// Scores a request bound against <see cref="Contract"/>: at once when the model is idle, else queued and possibly
    /// merged with other requests.
    /// </summary>
    /// <exception cref="ScoringException">429 when the model's queue is full; 400 when the model rejects the values.</exception>
    /// <exception cref="ObjectDisposedException">The lease was disposed.</exception>
    public async ValueTask<InferenceResult> RunAsync(InferenceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var held = version ?? throw new ObjectDisposedException(nameof(ModelLease));
        var outputs = await held.Batcher.RunAsync(request, cancellationToken).ConfigureAwait(false);
        return new InferenceResult(outputs, Contract);
    }

    /// <summary>Ends the lease; the last lease of a retired version disposes its runtime.</summary>
    public void Dispose()
    {
        var held = Interlocked.Exchange(ref version, null);
        if (held is not null)
        {
            held.Release();
            host.ExitRequest();
        }
    }
}

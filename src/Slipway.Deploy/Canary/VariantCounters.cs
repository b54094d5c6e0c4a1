namespace Slipway.Deploy.Canary;

/// <summary>
/// One variant's requests since its split started: answered, errors (anything but 2xx) and latencies. Updated on the
/// request path with interlocked increments only.
/// </summary>
public sealed class VariantCounters
{
    private readonly LatencyHistogram latency = new();
    private long requests;
    private long errors;

    /// <summary>Counts one answered request.</summary>
    /// <param name="status">The HTTP status sent.</param>
    /// <param name="seconds">How long it took, in seconds.</param>
    public void Record(int status, double seconds)
    {
        Interlocked.Increment(ref requests);
        if (status is < 200 or >= 300)
        {
            Interlocked.Increment(ref errors);
        }

        latency.Record(seconds);
    }

    /// <summary>The counts now.</summary>
    public VariantSnapshot Snapshot() => new(Interlocked.Read(ref requests), Interlocked.Read(ref errors), latency.Quantile(0.99));
}

/// <summary>One variant's counts at a moment.</summary>
/// <param name="Requests">Requests answered.</param>
/// <param name="Errors">Of which answered with a status other than 2xx.</param>
/// <param name="P99Seconds">The 99th percentile latency, in seconds (the upper bound of its histogram bucket); 0 without requests.</param>
public sealed record VariantSnapshot(long Requests, long Errors, double P99Seconds)
{
    /// <summary>No requests yet.</summary>
    public static VariantSnapshot Empty { get; } = new(0, 0, 0);

    /// <summary>Errors divided by requests; 0 without requests.</summary>
    public double ErrorRate => Requests == 0 ? 0 : (double)Errors / Requests;
}

namespace Slipway.Serving.Hosting;

/// <summary>
/// A served model's run counters and queue length, shared by all its versions so that the queue bound holds per model
/// across a swap. Updated with interlocked operations only: the request path takes no lock here.
/// </summary>
internal sealed class BatchCounters
{
    private long runs;
    private long requests;
    private long rows;
    private long mergedRuns;
    private long largestRunRequests;
    private long rejected;
    private int queued;

    /// <summary>Requests waiting for a free run now.</summary>
    public int Queued => Volatile.Read(ref queued);

    /// <summary>Takes a queue place, or returns false (and counts a rejection) when <paramref name="limit"/> are taken.</summary>
    public bool TryEnqueue(int limit)
    {
        if (Interlocked.Increment(ref queued) <= limit)
        {
            return true;
        }

        Interlocked.Decrement(ref queued);
        Interlocked.Increment(ref rejected);
        return false;
    }

    /// <summary>Gives back a queue place when a waiting request is taken into a run.</summary>
    public void Dequeued() => Interlocked.Decrement(ref queued);

    /// <summary>Counts a rejection that happened before queueing (e.g. before the body was read).</summary>
    public void Rejected() => Interlocked.Increment(ref rejected);

    /// <summary>Counts one runtime call over <paramref name="requestCount"/> requests holding <paramref name="rowCount"/> rows.</summary>
    public void RecordRun(int requestCount, long rowCount)
    {
        Interlocked.Increment(ref runs);
        Interlocked.Add(ref requests, requestCount);
        Interlocked.Add(ref rows, rowCount);
        if (requestCount > 1)
        {
            Interlocked.Increment(ref mergedRuns);
            var largest = Volatile.Read(ref largestRunRequests);
            while (requestCount > largest)
            {
                var seen = Interlocked.CompareExchange(ref largestRunRequests, requestCount, largest);
                if (seen == largest)
                {
                    break;
                }

                largest = seen;
            }
        }
        else if (Volatile.Read(ref largestRunRequests) == 0)
        {
            Interlocked.CompareExchange(ref largestRunRequests, 1, 0);
        }
    }

    /// <summary>A snapshot.</summary>
    public BatchStatistics Snapshot() => new(
        Interlocked.Read(ref runs),
        Interlocked.Read(ref requests),
        Interlocked.Read(ref rows),
        Interlocked.Read(ref mergedRuns),
        Interlocked.Read(ref largestRunRequests),
        Queued,
        Interlocked.Read(ref rejected));
}

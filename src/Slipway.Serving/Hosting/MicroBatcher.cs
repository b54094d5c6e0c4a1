using System.Collections.Concurrent;
using System.Diagnostics;
using Slipway.Serving.Runtimes;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Hosting;

/// <summary>
/// Runs one model version's requests: up to <see cref="ServedModelOptions.MaxConcurrentRuns"/> runs at once; a
/// request that finds the model idle (no queue, a free run) runs at once on the caller's thread, with no added delay;
/// requests arriving while every run is busy wait in a bounded queue, and the next free run takes as many of them as
/// fit in <see cref="ServedModelOptions.MaxBatchRows"/> rows and scores them as one merged request (when batching is
/// on and the contract is batchable). Because merging happens only when all runs are busy, batching never takes a
/// core away from scoring: with it on or off, the same number of runs keeps the cores busy.
/// </summary>
internal sealed class MicroBatcher : IDisposable
{
    private readonly IModelRuntime runtime;
    private readonly BatchCounters counters;
    private readonly ConcurrentQueue<PendingRequest> queue = new();

    // Taking requests off the queue is serialised so a batch's peek-then-dequeue sees a stable head; the lock is never
    // held across inference.
    private readonly Lock gatherLock = new();
    private readonly string modelName;
    private readonly bool merge;
    private readonly int maxRows;
    private readonly int maxRuns;
    private readonly int queueLimit;
    private readonly TimeSpan maxDelay;
    private readonly TimeProvider time;
    private readonly IServingObserver? observer;
    private readonly string version;
    private readonly SemaphoreSlim arrivals = new(0);
    private int runs;
    private int gatherersWaiting;

    public MicroBatcher(IModelRuntime runtime, ServedModelOptions options, BatchCounters counters, TimeProvider time, IServingObserver? observer = null)
    {
        this.runtime = runtime;
        this.counters = counters;
        this.time = time;
        this.observer = observer;
        version = runtime.Contract.Version;
        modelName = options.Uri.Name;
        merge = options.Batching && runtime.Contract.IsBatchable;
        maxRows = options.MaxBatchRows;
        maxRuns = options.MaxConcurrentRuns;
        queueLimit = options.QueueLimit;
        maxDelay = options.MaxBatchDelay;
    }

    /// <inheritdoc />
    public void Dispose() => arrivals.Dispose();

    /// <summary>Scores <paramref name="request"/>, alone or merged with others.</summary>
    public ValueTask<IReadOnlyList<Tensor>> RunAsync(InferenceRequest request, CancellationToken cancellationToken)
    {
        // The idle path: nobody waits and a run is free, so run now on this thread; no queue, no task, no hop.
        if (queue.IsEmpty && TryEnterRun())
        {
            IReadOnlyList<Tensor> outputs;
            try
            {
                outputs = Run(request);
                counters.RecordRun(1, request.Rows);
            }
            finally
            {
                ExitRun();
            }

            return new ValueTask<IReadOnlyList<Tensor>>(outputs);
        }

        return EnqueueAsync(request, cancellationToken);
    }

    private async ValueTask<IReadOnlyList<Tensor>> EnqueueAsync(InferenceRequest request, CancellationToken cancellationToken)
    {
        if (!counters.TryEnqueue(queueLimit))
        {
            throw ScoringException.Overloaded($"model '{modelName}' has {queueLimit} requests waiting; retry later.", 1);
        }

        var pending = new PendingRequest(request);
        queue.Enqueue(pending);
        if (Volatile.Read(ref gatherersWaiting) > 0)
        {
            arrivals.Release();
        }

        if (TryEnterRun())
        {
            // A run was free after all (it ended while this request queued): this thread scores the head batch itself
            // rather than waiting for another thread to be scheduled.
            await RunOneBatchAsync().ConfigureAwait(false);
            ContinueOrExit();
        }

        if (!cancellationToken.CanBeCanceled)
        {
            return await pending.Task.ConfigureAwait(false);
        }

        using (cancellationToken.Register(static state => ((PendingRequest)state!).TrySetCanceled(), pending))
        {
            return await pending.Task.ConfigureAwait(false);
        }
    }

    private bool TryEnterRun()
    {
        var current = Volatile.Read(ref runs);
        while (current < maxRuns)
        {
            var seen = Interlocked.CompareExchange(ref runs, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    private void ExitRun()
    {
        Interlocked.Decrement(ref runs);

        // A request may have queued while every run was busy and just before this one ended: pick it up.
        if (!queue.IsEmpty && TryEnterRun())
        {
            ThreadPool.UnsafeQueueUserWorkItem(static self => _ = self.DrainAsync(), this, preferLocal: false);
        }
    }

    private void ContinueOrExit()
    {
        if (queue.IsEmpty)
        {
            ExitRun();
        }
        else
        {
            // Keep the run and go on elsewhere, so this caller's own answer is not held up by other requests' batches.
            ThreadPool.UnsafeQueueUserWorkItem(static self => _ = self.DrainAsync(), this, preferLocal: false);
        }
    }

    private async Task DrainAsync()
    {
        while (await RunOneBatchAsync().ConfigureAwait(false))
        {
        }

        ExitRun();
    }

    /// <summary>Takes the head batch off the queue and scores it; false when the queue was empty.</summary>
    private async ValueTask<bool> RunOneBatchAsync()
    {
        var batch = new PendingRequest[merge ? 4 : 1];
        var count = 0;
        long rows = 0;
        DateTimeOffset? deadline = null;
        while (true)
        {
            (count, rows) = Gather(ref batch, count, rows);
            if (count == 0)
            {
                return false;
            }

            // Wait for more rows only when asked to, while other runs keep the cores busy, and within the delay.
            if (!merge || maxDelay <= TimeSpan.Zero || rows >= maxRows || Volatile.Read(ref runs) < 2)
            {
                break;
            }

            deadline ??= time.GetUtcNow() + maxDelay;
            var remaining = deadline.Value - time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                break;
            }

            Interlocked.Increment(ref gatherersWaiting);
            try
            {
                if (!await arrivals.WaitAsync(remaining).ConfigureAwait(false))
                {
                    (count, rows) = Gather(ref batch, count, rows);
                    break;
                }
            }
            finally
            {
                Interlocked.Decrement(ref gatherersWaiting);
            }
        }

        Score(batch, count, rows);
        return true;
    }

    private (int Count, long Rows) Gather(ref PendingRequest[] batch, int count, long rows)
    {
        lock (gatherLock)
        {
            while (queue.TryPeek(out var next))
            {
                if (count > 0 && (!merge || next.Request.Rows == 0 || rows + next.Request.Rows > maxRows
                    || !BatchMerger.CanMerge(batch[0].Request, next.Request)))
                {
                    break;
                }

                queue.TryDequeue(out _);
                counters.Dequeued();
                if (next.Task.IsCompleted)
                {
                    // Cancelled by its caller while waiting: nobody reads the answer.
                    continue;
                }

                if (count == batch.Length)
                {
                    Array.Resize(ref batch, count * 2);
                }

                batch[count++] = next;
                rows += next.Request.Rows;
                if (!merge || rows == 0 || rows >= maxRows)
                {
                    break;
                }
            }
        }

        return (count, rows);
    }

    private void Score(PendingRequest[] batch, int count, long rows)
    {
        if (count == 1)
        {
            RunAlone(batch[0]);
            return;
        }

        IReadOnlyList<Tensor> outputs;
        try
        {
            outputs = Run(BatchMerger.Merge(batch, count, rows));
        }
#pragma warning disable CA1031 // One bad request must not fail the others merged with it: each is retried alone.
        catch (Exception)
#pragma warning restore CA1031
        {
            RunEachAlone(batch, count);
            return;
        }

        var results = new IReadOnlyList<Tensor>[count];
        if (!BatchMerger.TrySplit(outputs, batch, count, rows, results))
        {
            RunEachAlone(batch, count);
            return;
        }

        counters.RecordRun(count, rows);
        for (var i = 0; i < count; i++)
        {
            batch[i].TrySetResult(results[i]);
        }
    }

    /// <summary>One runtime call, timed for the observer only when there is one.</summary>
    private IReadOnlyList<Tensor> Run(InferenceRequest request)
    {
        if (observer is null)
        {
            return runtime.Run(request);
        }

        var started = Stopwatch.GetTimestamp();
        var outputs = runtime.Run(request);
        observer.RuntimeCalled(modelName, version, request.Rows, Stopwatch.GetElapsedTime(started).TotalSeconds);
        return outputs;
    }

    private void RunEachAlone(PendingRequest[] batch, int count)
    {
        for (var i = 0; i < count; i++)
        {
            RunAlone(batch[i]);
        }
    }

    private void RunAlone(PendingRequest pending)
    {
        try
        {
            var outputs = Run(pending.Request);
            counters.RecordRun(1, pending.Request.Rows);
            pending.TrySetResult(outputs);
        }
#pragma warning disable CA1031 // The failure belongs to the caller waiting for this request; it is rethrown there.
        catch (Exception e)
#pragma warning restore CA1031
        {
            pending.TrySetException(e);
        }
    }
}

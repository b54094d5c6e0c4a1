using System.Runtime.ExceptionServices;

namespace Slipway.Core.Tracking;

/// <summary>
/// Logs a training loop's metrics to a run without a round trip per value: <see cref="LogMetric"/> only validates the
/// key and buffers; buffered values are sent with <see cref="IExperimentTracker.LogBatchAsync"/> (in MLflow's batch
/// limits) when <see cref="RunLoggerOptions.MaxBufferedMetrics"/> metrics are waiting, on <see cref="FlushAsync"/>,
/// every <see cref="RunLoggerOptions.FlushInterval"/> in the background, and on <see cref="DisposeAsync"/>, which can
/// also end the run. A background flush that fails is never lost silently: its exception is thrown by the next call to
/// <see cref="LogMetric"/>, <see cref="LogParam"/>, <see cref="SetTag"/>, <see cref="FlushAsync"/> or
/// <see cref="DisposeAsync"/> (once); the values of the failed batch are not retried. All members are thread-safe.
/// </summary>
public sealed class RunLogger : IAsyncDisposable
{
    private readonly IExperimentTracker _tracker;
    private readonly RunLoggerOptions _options;
    private readonly Lock _gate = new();

    // Flushes run one at a time so batches reach the tracker in the order values were logged.
    private readonly SemaphoreSlim _flushLock = new(1, 1);
    private readonly ITimer? _timer;
    private readonly List<Metric> _metrics = [];
    private readonly List<Param> _params = [];
    private readonly List<RunTag> _tags = [];
    private ExceptionDispatchInfo? _failure;
    private bool _disposed;

    /// <summary>Creates a logger for one run and starts its periodic flush.</summary>
    /// <param name="tracker">Where values go: the in-process tracking service or the MLflow-protocol client.</param>
    /// <param name="runId">The run to log to.</param>
    /// <param name="options">Settings; null for the defaults (flush every second and at 1,000 metrics, leave the run running on dispose).</param>
    public RunLogger(IExperimentTracker tracker, string runId, RunLoggerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        _tracker = tracker;
        RunId = TrackingValidation.RunId(runId);
        _options = options ?? new RunLoggerOptions();
        if (_options.MaxBufferedMetrics is < 1 or > TrackingValidation.MaxMetricsPerBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.MaxBufferedMetrics, $"MaxBufferedMetrics must be between 1 and {TrackingValidation.MaxMetricsPerBatch}.");
        }

        EndStatus = _options.EndStatusOnDispose;
        var interval = _options.FlushInterval;
        if (interval > TimeSpan.Zero && interval != Timeout.InfiniteTimeSpan)
        {
            _timer = _options.TimeProvider.CreateTimer(static state => ((RunLogger)state!).OnTimer(), this, interval, interval);
        }
    }

    /// <summary>The run values are logged to.</summary>
    public string RunId { get; }

    /// <summary>The status <see cref="DisposeAsync"/> ends the run with; null leaves the run as it is. Starts as <see cref="RunLoggerOptions.EndStatusOnDispose"/>.</summary>
    public RunStatus? EndStatus { get; set; }

    /// <summary>Metrics, params and tags waiting to be sent.</summary>
    public int BufferedCount
    {
        get
        {
            lock (_gate)
            {
                return _metrics.Count + _params.Count + _tags.Count;
            }
        }
    }

    /// <summary>Buffers one metric value, timestamped now. Throws at once on an invalid key, or the failure of an earlier background flush.</summary>
    /// <param name="key">Metric name.</param>
    /// <param name="value">The value; ±Infinity is stored as ±<see cref="double.MaxValue"/>.</param>
    /// <param name="step">Training step; default 0.</param>
    public void LogMetric(string key, double value, long step = 0)
    {
        TrackingValidation.MetricKey(key);
        var metric = new Metric(key, value, _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds(), step);
        bool full;
        lock (_gate)
        {
            ThrowIfUnusable();
            _metrics.Add(metric);
            full = _metrics.Count >= _options.MaxBufferedMetrics;
        }

        if (full)
        {
            StartBackgroundFlush();
        }
    }

    /// <summary>Buffers a parameter. Throws at once on an invalid key or value, or the failure of an earlier background flush.</summary>
    public void LogParam(string key, string value)
    {
        TrackingValidation.Param(key, value);
        bool full;
        lock (_gate)
        {
            ThrowIfUnusable();
            _params.Add(new Param(key, value));
            full = _params.Count >= TrackingValidation.MaxParamsTagsPerBatch;
        }

        if (full)
        {
            StartBackgroundFlush();
        }
    }

    /// <summary>Buffers a run tag. Throws at once on an invalid key or value, or the failure of an earlier background flush.</summary>
    public void SetTag(string key, string value)
    {
        TrackingValidation.RunTag(key, value);
        bool full;
        lock (_gate)
        {
            ThrowIfUnusable();
            _tags.Add(new RunTag(key, value));
            full = _tags.Count >= TrackingValidation.MaxParamsTagsPerBatch;
        }

        if (full)
        {
            StartBackgroundFlush();
        }
    }

    /// <summary>
    /// Sends everything buffered so far and waits for it (and for a background flush in progress). Throws the failure
    /// of an earlier background flush, or of this one.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ThrowIfUnusable();
        }

        await FlushCoreAsync(background: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops the periodic flush, sends what is buffered, and ends the run with <see cref="EndStatus"/> (end time now)
    /// when it is set. The run is ended even when the last flush fails; the first failure (an earlier background flush
    /// included) is thrown afterwards. Later calls do nothing.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        ExceptionDispatchInfo? failure;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            failure = _failure;
            _failure = null;
        }

        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            await FlushCoreAsync(background: false, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (failure is null)
        {
            failure = ExceptionDispatchInfo.Capture(e);
        }
        catch (Exception) when (failure is not null)
        {
            // The earlier failure is reported; this one most likely has the same cause.
        }

        if (EndStatus is { } status)
        {
            try
            {
                await _tracker.UpdateRunAsync(RunId, status, _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds(), runName: null, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (failure is null)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        }

        failure?.Throw();
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            if (_disposed || _metrics.Count + _params.Count + _tags.Count == 0)
            {
                return;
            }
        }

        StartBackgroundFlush();
    }

    /// <summary>Starts a flush without waiting: it runs inline up to the tracker's first real wait, then continues on the thread pool.</summary>
    private void StartBackgroundFlush() => _ = FlushCoreAsync(background: true, CancellationToken.None);

    private async Task FlushCoreAsync(bool background, CancellationToken cancellationToken)
    {
        await _flushLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (TakeBatch() is { } batch)
            {
                try
                {
                    await _tracker.LogBatchAsync(RunId, batch.Metrics, batch.Params, batch.Tags, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (background)
                {
                    // A background flush has no caller to throw to: the failure is kept for the next caller.
                    lock (_gate)
                    {
                        _failure ??= ExceptionDispatchInfo.Capture(e);
                    }

                    return;
                }
            }
        }
        finally
        {
            _flushLock.Release();
        }
    }

    /// <summary>Removes the oldest buffered values that fit one log-batch request, or returns null when nothing is buffered.</summary>
    private Batch? TakeBatch()
    {
        lock (_gate)
        {
            if (_metrics.Count + _params.Count + _tags.Count == 0)
            {
                return null;
            }

            var parameters = Take(_params, TrackingValidation.MaxParamsTagsPerBatch);
            var tags = Take(_tags, TrackingValidation.MaxParamsTagsPerBatch);
            var metrics = Take(_metrics, Math.Min(TrackingValidation.MaxMetricsPerBatch, TrackingValidation.MaxEntitiesPerBatch - parameters.Count - tags.Count));
            return new Batch(metrics, parameters, tags);
        }
    }

    private static List<T> Take<T>(List<T> buffer, int limit)
    {
        var count = Math.Min(limit, buffer.Count);
        var taken = buffer.GetRange(0, count);
        buffer.RemoveRange(0, count);
        return taken;
    }

    /// <summary>Throws when disposed, or rethrows (once) the failure of a background flush. Call under <see cref="_gate"/>.</summary>
    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failure is { } failure)
        {
            _failure = null;
            failure.Throw();
        }
    }

    private sealed record Batch(List<Metric> Metrics, List<Param> Params, List<RunTag> Tags);
}

using System.Threading.Channels;
using Slipway.Monitoring.Feedback;
using Slipway.Monitoring.InferenceLog;

namespace Slipway.Monitoring.Inference;

/// <summary>
/// Everything that happens to a served request after it is answered, off the request path: <see cref="TryRecord"/>
/// samples the request and queues it on a bounded channel (never blocking, never throwing: when the queue is full the
/// record is dropped and counted), and one background writer appends it to the Parquet inference log, feeds the
/// streaming profiles and remembers the prediction for feedback. The counters are readable at any time (for
/// Prometheus).
/// </summary>
/// <remarks>
/// Files under <see cref="InferenceMonitorOptions.Directory"/>:
/// <list type="bullet">
/// <item><c>inferences/model=NAME/date=YYYY-MM-DD/HH-vVERSION-SEQ.parquet</c>: one file per model, UTC hour and
/// version (a flush closes the file; the next rows start <c>SEQ + 1</c>), written as <c>.parquet.partial</c> and renamed
/// when closed. One row per request row: <c>request_id</c>, <c>timestamp</c> (TIMESTAMP micros, UTC), <c>model</c>,
/// <c>version</c>, <c>alias</c> (nullable), <c>protocol</c>, <c>latency_seconds</c>, <c>row</c> (index within the
/// request), then each input and output typed as it is (double, float, int64, int32, bool, string; nullable), one
/// column per element (<c>NAME_0</c> ...) for up to <see cref="InferenceMonitorOptions.MaxElementsPerRow"/> values per
/// row, or only the per-row shape (<c>NAME_shape</c>, e.g. <c>28x28</c>) for larger tensors. The file's
/// <c>slipway.columns</c> metadata says which column holds which tensor.</item>
/// <item><c>profiles/model=NAME/date=YYYY-MM-DD/HH-vVERSION.parquet</c> (hourly) and <c>day-vVERSION.parquet</c>
/// (daily): profile snapshots, one row per feature (see <see cref="Snapshots.ProfileSnapshotReader"/>).</item>
/// <item><c>feedback/model=NAME/date=YYYY-MM-DD/HH-vVERSION-SEQ.parquet</c>: feedback joined with predictions
/// (<c>request_id</c>, <c>timestamp</c>, <c>model</c>, <c>version</c>, <c>row</c>, <c>actual</c>, <c>predicted</c>,
/// then <c>correct</c> or <c>absolute_error</c>).</item>
/// </list>
/// </remarks>
public sealed partial class InferenceMonitor : IAsyncDisposable
{
    private readonly InferenceMonitorOptions _options;
    private readonly Channel<object> _channel;
    private readonly Task _consumer;
    private readonly ITimer? _timer;
    private readonly ulong _seed;
    private readonly ulong _threshold;
    // One open file per model AND version: a canary or shadow interleaves versions record by record, and a file per
    // model would close and reopen at every switch.
    private readonly Dictionary<(string Model, string Version), RotatingParquetFile> _logs = [];
    private readonly Dictionary<(string Model, string Version), RotatingParquetFile> _feedbackLogs = [];
    private readonly PredictionIndex _predictions;
    private readonly Lock _statusLock = new();
    private readonly Dictionary<(string Model, string Version), VersionState> _versions = [];
    private readonly Dictionary<string, string> _liveVersions = new(StringComparer.Ordinal);
    private readonly string _inferencesDirectory;
    private readonly string _feedbackDirectory;
    private long _sequence;
    private long _recorded;
    private long _sampledOut;
    private long _dropped;
    private long _rowsLogged;
    private long _filesWritten;
    private long _writeFailures;
    private int _disposed;
    private int _pending;

    /// <summary>Starts a monitor and its background writer.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public InferenceMonitor(InferenceMonitorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.Directory);
        if (options.SampleRate is < 0 or > 1 || double.IsNaN(options.SampleRate))
        {
            throw new ArgumentException($"SampleRate must be between 0 and 1, not {options.SampleRate}.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.Capacity, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RowGroupRows, 1, nameof(options));
        _options = options;
        _inferencesDirectory = Path.Combine(options.Directory, MonitoringPaths.Inferences);
        _feedbackDirectory = Path.Combine(options.Directory, MonitoringPaths.Feedback);
        _seed = options.SamplingSeed ?? (ulong)Random.Shared.NextInt64();
        _threshold = options.SampleRate >= 1 ? ulong.MaxValue : (ulong)(options.SampleRate * ulong.MaxValue);
        _predictions = new PredictionIndex(options.FeedbackRequests, options.FeedbackRetention);
        // An unbounded single-reader channel is lock-free on both ends (a bounded one takes a lock per item, which request
        // threads and the writer fight over); the capacity is kept by the _pending count instead.
        _channel = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
        _consumer = Task.Run(ConsumeAsync);
        var period = Min(options.FlushInterval, options.ProfileSnapshotInterval, TimeSpan.FromMinutes(1));
        if (period > TimeSpan.Zero && options.Enabled)
        {
            _timer = options.TimeProvider.CreateTimer(_ => _channel.Writer.TryWrite(Tick.Instance), null, period, period);
        }
    }

    /// <summary>Records accepted into the queue (after sampling).</summary>
    public long Recorded => Volatile.Read(ref _recorded);

    /// <summary>Records skipped by sampling.</summary>
    public long SampledOut => Volatile.Read(ref _sampledOut);

    /// <summary>Records dropped because the queue was full (or the monitor was closing).</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Rows written to the inference log.</summary>
    public long RowsLogged => Volatile.Read(ref _rowsLogged);

    /// <summary>Inference log and feedback files completed (closed and renamed to <c>.parquet</c>).</summary>
    public long FilesWritten => Volatile.Read(ref _filesWritten);

    /// <summary>Failures of the background writer (a file that could not be written; its buffered rows are lost).</summary>
    public long WriteFailures => Volatile.Read(ref _writeFailures);

    /// <summary>Records waiting for the background writer now.</summary>
    public int QueueLength => Volatile.Read(ref _pending);

    /// <summary>The options the monitor runs with.</summary>
    public InferenceMonitorOptions Options => _options;

    /// <summary>Used by tests: awaited by the background writer before each queued item, so a test can hold it.</summary>
    internal Func<ValueTask>? BeforeEachItem { get; set; }

    /// <summary>
    /// Queues <paramref name="record"/> for the log, the profiles and feedback; returns whether it was queued. Never
    /// blocks and never throws: a record sampled out, or dropped because the queue is full, only counts.
    /// </summary>
    public bool TryRecord(InferenceRecord record)
    {
        if (!_options.Enabled || record is null)
        {
            return false;
        }

        // A hash of (seed, sequence number) instead of a shared Random: lock-free across request threads, and the same
        // seed keeps the same requests.
        if (_threshold != ulong.MaxValue && Mix(_seed + (ulong)Interlocked.Increment(ref _sequence)) >= _threshold)
        {
            Interlocked.Increment(ref _sampledOut);
            return false;
        }

        if (TryEnqueue(record))
        {
            Interlocked.Increment(ref _recorded);
            return true;
        }

        Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <summary>
    /// Waits until everything queued so far is written, closes the open log files (so readers see them) and writes the
    /// profiles of the open hours as partial snapshots.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The monitor was disposed.</exception>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var request = new FlushRequest();
        await _channel.Writer.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        await request.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The model versions recorded since the monitor started.</summary>
    public IReadOnlyList<ModelMonitorStatus> GetModels()
    {
        lock (_statusLock)
        {
            var list = new List<ModelMonitorStatus>(_versions.Count);
            foreach (var ((model, version), state) in _versions)
            {
                var live = _liveVersions.TryGetValue(model, out var current) && current == version;
                list.Add(new ModelMonitorStatus(model, version, state.Requests, state.Rows, state.LastSeen, live));
            }

            list.Sort((a, b) => (string.CompareOrdinal(a.Model, b.Model) is var c && c != 0) ? c : string.CompareOrdinal(a.Version, b.Version));
            return list;
        }
    }

    /// <summary>Drains the queue, closes the files and stops the background writer.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        _channel.Writer.TryComplete();
        await _consumer.ConfigureAwait(false);
    }

    // Queues a record or feedback row within the capacity; false when the queue is full or closed.
    private bool TryEnqueue(object item)
    {
        if (Interlocked.Increment(ref _pending) > _options.Capacity)
        {
            Interlocked.Decrement(ref _pending);
            return false;
        }

        if (_channel.Writer.TryWrite(item))
        {
            return true;
        }

        Interlocked.Decrement(ref _pending);
        return false;
    }

    private static ulong Mix(ulong z)
    {
        // SplitMix64's finaliser: consecutive inputs give independent-looking, uniformly spread outputs.
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b, TimeSpan c) => a < b ? (a < c ? a : c) : (b < c ? b : c);

    private async Task ConsumeAsync()
    {
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                if (item is InferenceRecord or FeedbackRow)
                {
                    Interlocked.Decrement(ref _pending);
                }

                if (BeforeEachItem is { } gate)
                {
                    await gate().ConfigureAwait(false);
                }

                try
                {
                    switch (item)
                    {
                        case InferenceRecord record:
                            await ProcessAsync(record).ConfigureAwait(false);
                            break;
                        case FeedbackRow row:
                            await LogFeedbackAsync(row).ConfigureAwait(false);
                            break;
                        case FlushRequest flush:
                            await CloseAllAsync(final: false).ConfigureAwait(false);
                            break;
                        default:
                            await TickAsync().ConfigureAwait(false);
                            break;
                    }
                }
#pragma warning disable CA1031 // The writer outlives any one bad record: it counts the failure and goes on.
                catch (Exception)
#pragma warning restore CA1031
                {
                    Interlocked.Increment(ref _writeFailures);
                }
                finally
                {
                    (item as FlushRequest)?.Done.TrySetResult();
                }
            }
        }

        await CloseAllAsync(final: true).ConfigureAwait(false);
    }

    private async Task ProcessAsync(InferenceRecord record)
    {
        var now = _options.TimeProvider.GetUtcNow();
        var hour = HourOf(record.Timestamp);
        TrackStatus(record);
        RememberPrediction(record, now);
        await ProfileRecordAsync(record, hour).ConfigureAwait(false);

        if (!_logs.TryGetValue((record.Model, record.Version), out var log))
        {
            log = new RotatingParquetFile(_inferencesDirectory, record.Model);
            _logs.Add((record.Model, record.Version), log);
        }

        try
        {
            // The layout is made only when a file starts: no delegate is allocated per record.
            var current = log.Layout is InferenceLogLayout open && log.Hour == hour && ReferenceEquals(open.Contract, record.Contract);
            if (current)
            {
                log.Touch(now);
            }

            var events = current
                ? default
                : await log.PrepareAsync(record.Version, hour, () => new InferenceLogLayout(record.Contract, _options.MaxElementsPerRow), now, CancellationToken.None).ConfigureAwait(false);
            var layout = (InferenceLogLayout)log.Layout!;
            if (!ReferenceEquals(layout.Contract, record.Contract) && !SameColumns(layout.Contract, record.Contract))
            {
                // A reload of the same version with another contract: a new file with the new columns.
                events += await log.CloseAsync(CancellationToken.None).ConfigureAwait(false);
                _logs[(record.Model, record.Version)] = log = new RotatingParquetFile(_inferencesDirectory, record.Model);
                events += await log.PrepareAsync(record.Version, hour, () => new InferenceLogLayout(record.Contract, _options.MaxElementsPerRow), now, CancellationToken.None).ConfigureAwait(false);
                layout = (InferenceLogLayout)log.Layout!;
            }

            layout.Append(record);
            events += await log.MaybeWriteAsync(_options.RowGroupRows, _options.FlushInterval, now, CancellationToken.None).ConfigureAwait(false);
            Count(events);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException or NotSupportedException)
        {
            Interlocked.Increment(ref _writeFailures);
            await log.AbandonAsync().ConfigureAwait(false);
        }
    }

    private static bool SameColumns(Slipway.Serving.ModelContract a, Slipway.Serving.ModelContract b)
    {
        if (a.Inputs.Count != b.Inputs.Count || a.Outputs.Count != b.Outputs.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Inputs.Count; i++)
        {
            if (a.Inputs[i].Name != b.Inputs[i].Name || a.Inputs[i].Type != b.Inputs[i].Type || !a.Inputs[i].Shape.AsSpan().SequenceEqual(b.Inputs[i].Shape))
            {
                return false;
            }
        }

        for (var i = 0; i < a.Outputs.Count; i++)
        {
            if (a.Outputs[i].Name != b.Outputs[i].Name || a.Outputs[i].Type != b.Outputs[i].Type || !a.Outputs[i].Shape.AsSpan().SequenceEqual(b.Outputs[i].Shape))
            {
                return false;
            }
        }

        return true;
    }

    private async Task TickAsync()
    {
        var now = _options.TimeProvider.GetUtcNow();
        var hour = HourOf(now);
        foreach (var log in _logs.Values.Concat(_feedbackLogs.Values))
        {
            // An hour without traffic still closes its file, so readers see the last rows of the hour.
            await WithFailureCountAsync(log, async () => log.HasRows && log.Hour < hour
                ? await log.CloseAsync(CancellationToken.None).ConfigureAwait(false)
                : await log.MaybeWriteAsync(_options.RowGroupRows, _options.FlushInterval, now, CancellationToken.None).ConfigureAwait(false)).ConfigureAwait(false);
        }

        await TickProfilesAsync(now).ConfigureAwait(false);
    }

    private async Task CloseAllAsync(bool final)
    {
        foreach (var log in _logs.Values.Concat(_feedbackLogs.Values))
        {
            await WithFailureCountAsync(log, () => log.CloseAsync(CancellationToken.None)).ConfigureAwait(false);
        }

        await SnapshotProfilesAsync().ConfigureAwait(false);
        if (final)
        {
            foreach (var log in _logs.Values.Concat(_feedbackLogs.Values))
            {
                await log.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task WithFailureCountAsync(RotatingParquetFile log, Func<ValueTask<FileEvents>> action)
    {
        try
        {
            Count(await action().ConfigureAwait(false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException or NotSupportedException)
        {
            Interlocked.Increment(ref _writeFailures);
            await log.AbandonAsync().ConfigureAwait(false);
        }
    }

    private void Count(FileEvents events)
    {
        if (events.Rows != 0)
        {
            Interlocked.Add(ref _rowsLogged, events.Rows);
        }

        if (events.Files != 0)
        {
            Interlocked.Add(ref _filesWritten, events.Files);
        }
    }

    private void TrackStatus(InferenceRecord record)
    {
        lock (_statusLock)
        {
            var key = (record.Model, record.Version);
            if (!_versions.TryGetValue(key, out var state))
            {
                state = new VersionState();
                _versions.Add(key, state);
            }

            state.Requests++;
            state.Rows += record.Rows;
            if (record.Timestamp > state.LastSeen)
            {
                state.LastSeen = record.Timestamp;
            }

            _liveVersions[record.Model] = record.Version;
        }
    }

    private static DateTime HourOf(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, DateTimeKind.Utc);
    }

    private sealed class VersionState
    {
        public long Requests { get; set; }

        public long Rows { get; set; }

        public DateTimeOffset LastSeen { get; set; }
    }

    private sealed class FlushRequest
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }
}

namespace Slipway.Monitoring.Inference;

/// <summary>
/// Settings of an <see cref="InferenceMonitor"/>: where it writes, how much of the traffic it keeps, how much it queues
/// and how often it writes. Every setting has a default that suits a server at saturation on two cores.
/// </summary>
public sealed class InferenceMonitorOptions
{
    /// <summary>
    /// The monitoring directory: the inference log goes to <c>inferences/</c>, profile snapshots to <c>profiles/</c> and
    /// feedback to <c>feedback/</c> under it (see <see cref="MonitoringPaths"/>). Required.
    /// </summary>
    public required string Directory { get; init; }

    /// <summary>Whether the monitor records anything at all; when false <see cref="InferenceMonitor.TryRecord"/> returns false at once. Default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The fraction of requests recorded, 0 to 1: 1 (the default) records every request, 0 none.</summary>
    public double SampleRate { get; init; } = 1.0;

    /// <summary>
    /// The seed of the sampling decisions; null (the default) picks one at random. With a seed the same sequence of
    /// requests keeps the same ones, so tests can count them.
    /// </summary>
    public ulong? SamplingSeed { get; init; }

    /// <summary>How many records wait for the background writer at most; when the queue is full new records are dropped and counted. Default 8,192.</summary>
    public int Capacity { get; init; } = 8192;

    /// <summary>Rows buffered per model before a Parquet row group is written. Default 50,000.</summary>
    public int RowGroupRows { get; init; } = 50_000;

    /// <summary>The longest time buffered rows wait before they are written as a row group, even when fewer than <see cref="RowGroupRows"/>. Default 1 minute.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often the profile of the open hour is written as a partial snapshot (so a restart loses at most this much of
    /// it); closed hours are always written when they close. Default 5 minutes.
    /// </summary>
    public TimeSpan ProfileSnapshotInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The most values per row an input or output may have to be logged as values, one column per element (e.g. class
    /// probabilities); larger tensors are logged by their shape only. Default 16.
    /// </summary>
    public int MaxElementsPerRow { get; init; } = 16;

    /// <summary>How many recent requests feedback can still join (the oldest are forgotten first). Default 100,000.</summary>
    public int FeedbackRequests { get; init; } = 100_000;

    /// <summary>How long a request's prediction waits for feedback at most. Default 24 hours.</summary>
    public TimeSpan FeedbackRetention { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Where reference profiles (the versions' expected distributions) come from; null for none: then profiles have no histograms and no drift is computed.</summary>
    public IReferenceProfileSource? ReferenceProfiles { get; init; }

    /// <summary>The clock for rotation, flush intervals, feedback timestamps and windows. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

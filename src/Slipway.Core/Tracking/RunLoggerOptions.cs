namespace Slipway.Core.Tracking;

/// <summary>Settings of a <see cref="RunLogger"/>.</summary>
public sealed record RunLoggerOptions
{
    /// <summary>How often buffered values are sent in the background; default 1 second. <see cref="TimeSpan.Zero"/> or <see cref="Timeout.InfiniteTimeSpan"/> turns periodic flushing off.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Buffered metrics that trigger a flush at once; default 1,000 (MLflow's log-batch limit), at most 1,000.</summary>
    public int MaxBufferedMetrics { get; init; } = TrackingValidation.MaxMetricsPerBatch;

    /// <summary>The status the run ends with when the logger is disposed; null (the default) leaves the run as it is.</summary>
    public RunStatus? EndStatusOnDispose { get; init; }

    /// <summary>Clock for metric timestamps and the flush timer; default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

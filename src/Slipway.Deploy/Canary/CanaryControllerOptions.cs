namespace Slipway.Deploy.Canary;

/// <summary>How a <see cref="CanaryController"/> runs.</summary>
public sealed class CanaryControllerOptions
{
    /// <summary>Default <see cref="Interval"/>: five seconds.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);

    /// <summary>How often running canaries are judged. Default five seconds.</summary>
    public TimeSpan Interval { get; set; } = DefaultInterval;

    /// <summary>The clock for the timer and the window. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>The smallest stable p99 the latency limit applies to. Default <see cref="CanaryJudge.DefaultLatencyFloor"/> (1 ms).</summary>
    public TimeSpan LatencyFloor { get; set; } = CanaryJudge.DefaultLatencyFloor;

    /// <summary>Called (on the timer's thread) for each decision made or attempted; for logs. Default none.</summary>
    public Action<CanaryEvent>? Events { get; set; }
}

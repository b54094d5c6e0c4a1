using Slipway.Monitoring.Inference;
using Slipway.Server.Serving;

namespace Slipway.Server.Monitoring;

/// <summary>
/// The serving node's monitoring: the inference monitor when monitoring is on (null when off, so the request path
/// tests one reference and does nothing else), its settings, and the metrics it feeds. Disposing it drains the
/// monitor's queue and closes its files.
/// </summary>
internal sealed class ServingMonitoring : IAsyncDisposable
{
    public ServingMonitoring(ServingMonitoringOptions? options, ServingMetrics metrics)
    {
        Options = options ?? new ServingMonitoringOptions { Enabled = false };
        Time = Options.Time;
        if (Options.Enabled)
        {
            Monitor = new InferenceMonitor(Options.ToMonitorOptions());
            Metrics = new MonitoringMetrics(metrics, Monitor);
        }
    }

    /// <summary>The monitoring instruments, or null when monitoring is off.</summary>
    public MonitoringMetrics? Metrics { get; }

    /// <summary>The settings.</summary>
    public ServingMonitoringOptions Options { get; }

    /// <summary>The monitor, or null when monitoring is off.</summary>
    public InferenceMonitor? Monitor { get; }

    /// <summary>The clock for record timestamps.</summary>
    public TimeProvider Time { get; }

    public ValueTask DisposeAsync() => Monitor?.DisposeAsync() ?? ValueTask.CompletedTask;
}

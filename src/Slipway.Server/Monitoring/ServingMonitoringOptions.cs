using Slipway.Monitoring.Inference;

namespace Slipway.Server.Monitoring;

/// <summary>
/// Monitoring of served models: the Parquet inference log, live profiles and drift, feedback and their metrics. With
/// <see cref="Enabled"/> false nothing is recorded and nothing is written; the request path does no monitoring work.
/// </summary>
public sealed class ServingMonitoringOptions
{
    /// <summary>Default <see cref="DriftRefreshInterval"/>: one minute.</summary>
    public static readonly TimeSpan DefaultDriftRefreshInterval = TimeSpan.FromMinutes(1);

    /// <summary>Whether answered requests are monitored. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The monitoring directory (inference log, profile snapshots, feedback). Required when <see cref="Enabled"/>.</summary>
    public string? Directory { get; set; }

    /// <summary>The fraction of requests logged, 0 to 1. Default 1 (every request).</summary>
    public double SampleRate { get; set; } = 1.0;

    /// <summary>Records that may wait for the background writer; beyond it records are dropped and counted. Default 8,192.</summary>
    public int Capacity { get; set; } = 8192;

    /// <summary>How often the drift gauges at <c>/metrics</c> are recomputed from the live profiles. Default one minute; zero or negative turns them off.</summary>
    public TimeSpan DriftRefreshInterval { get; set; } = DefaultDriftRefreshInterval;

    /// <summary>Where versions' reference profiles come from (drift needs one); null (the default) for none.</summary>
    public IReferenceProfileSource? ReferenceProfiles { get; set; }

    /// <summary>The clock for timestamps, rotation and the drift refresh. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>The inference monitor's options for these settings.</summary>
    /// <exception cref="ArgumentException">Enabled without a directory, or a setting out of range.</exception>
    public InferenceMonitorOptions ToMonitorOptions()
    {
        if (string.IsNullOrEmpty(Directory))
        {
            throw new ArgumentException("a monitoring directory is required when monitoring is enabled.", nameof(Directory));
        }

        return new InferenceMonitorOptions
        {
            Directory = Directory,
            Enabled = Enabled,
            SampleRate = SampleRate,
            Capacity = Capacity,
            ReferenceProfiles = ReferenceProfiles,
            TimeProvider = Time,
        };
    }
}

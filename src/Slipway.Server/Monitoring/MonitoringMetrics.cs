using Prometheus;
using Slipway.Core.Statistics.Drift;
using Slipway.Monitoring.Inference;
using Slipway.Server.Serving;

namespace Slipway.Server.Monitoring;

/// <summary>
/// The monitoring instruments at <c>/metrics</c>, in the serving registry: the inference log's records, drops and
/// sampled-out requests, live quality from feedback (counters from which Grafana computes accuracy and MAE with
/// <c>rate()</c>), and the drift gauges per model, version, feature, method and window set by
/// <see cref="DriftGaugeRefresher"/>. Labels are bounded by the served models' features; never request ids or values.
/// </summary>
internal sealed class MonitoringMetrics
{
    private readonly Gauge driftScore;
    private readonly Gauge driftDetected;
    private readonly Gauge datasetDrift;
    private readonly Gauge driftedShare;
    private readonly Lock driftLock = new();
    private readonly Dictionary<(string Model, string Window), List<string[]>> featureSeries = [];
    private readonly Dictionary<(string Model, string Window), string[]> datasetSeries = [];

    public MonitoringMetrics(ServingMetrics serving, InferenceMonitor monitor)
    {
        ArgumentNullException.ThrowIfNull(serving);
        ArgumentNullException.ThrowIfNull(monitor);
        var factory = serving.Factory;
        var records = factory.CreateCounter("slipway_inference_log_records_total", "Answered requests queued for the inference log (after sampling).", []);
        var dropped = factory.CreateCounter("slipway_inference_log_dropped_total", "Requests not logged because the inference log's queue was full.", []);
        var sampledOut = factory.CreateCounter("slipway_inference_log_sampled_out_total", "Requests left out of the inference log by sampling.", []);
        var rows = factory.CreateCounter("slipway_inference_log_rows_total", "Rows written to the inference log.", []);
        var failures = factory.CreateCounter("slipway_inference_log_write_failures_total", "Inference log writes that failed (their buffered rows are lost).", []);
        var queued = factory.CreateGauge("slipway_inference_log_queued_records", "Records waiting for the inference log's writer.", []);
        var feedback = factory.CreateCounter("slipway_feedback_total", "Rows with ground truth joined to their prediction.", ["model", "version"]);
        var correct = factory.CreateCounter("slipway_feedback_correct_total", "Rows with ground truth predicted correctly (classification).", ["model", "version"]);
        var absolute = factory.CreateCounter("slipway_feedback_absolute_error_total", "Sum of absolute errors of rows with ground truth (regression).", ["model", "version"]);
        var squared = factory.CreateCounter("slipway_feedback_squared_error_total", "Sum of squared errors of rows with ground truth (regression).", ["model", "version"]);
        driftScore = factory.CreateGauge(
            "slipway_drift_score",
            "Drift test score of a feature against the version's reference: a p-value (ks, chisquare, z) or a distance (wasserstein, jensenshannon, psi).",
            ["model", "version", "feature", "method", "window"]);
        driftDetected = factory.CreateGauge(
            "slipway_drift_detected",
            "1 when the feature's drift score is beyond its threshold, else 0.",
            ["model", "version", "feature", "method", "window"]);
        datasetDrift = factory.CreateGauge("slipway_dataset_drift", "1 when the share of drifted features reaches the drift share, else 0.", ["model", "version", "window"]);
        driftedShare = factory.CreateGauge("slipway_drifted_features_share", "Share of features drifted, 0 to 1.", ["model", "version", "window"]);
        serving.Registry.AddBeforeCollectCallback(() =>
        {
            records.IncTo(monitor.Recorded);
            dropped.IncTo(monitor.Dropped);
            sampledOut.IncTo(monitor.SampledOut);
            rows.IncTo(monitor.RowsLogged);
            failures.IncTo(monitor.WriteFailures);
            queued.Set(monitor.QueueLength);
            foreach (var quality in monitor.GetQuality())
            {
                feedback.WithLabels(quality.Model, quality.Version).IncTo(quality.Count);
                correct.WithLabels(quality.Model, quality.Version).IncTo(quality.Correct);
                absolute.WithLabels(quality.Model, quality.Version).IncTo(quality.AbsoluteErrorSum);
                squared.WithLabels(quality.Model, quality.Version).IncTo(quality.SquaredErrorSum);
            }
        });
    }

    /// <summary>
    /// Shows <paramref name="report"/> as the drift of <paramref name="model"/> over <paramref name="window"/>,
    /// replacing what was shown for them before (a swapped-out version's or a dropped feature's series go away).
    /// </summary>
    public void SetDrift(string model, string version, string window, DriftReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        lock (driftLock)
        {
            ClearDrift(model, window);
            var series = new List<string[]>(report.Features.Count);
            foreach (var feature in report.Features)
            {
                string[] labels = [model, version, feature.Feature, DriftMethods.Name(feature.Method), window];
                driftScore.WithLabels(labels).Set(feature.Score);
                driftDetected.WithLabels(labels).Set(feature.Drifted ? 1 : 0);
                series.Add(labels);
            }

            string[] datasetLabels = [model, version, window];
            datasetDrift.WithLabels(datasetLabels).Set(report.DatasetDrift ? 1 : 0);
            driftedShare.WithLabels(datasetLabels).Set(report.DriftedShare);
            featureSeries[(model, window)] = series;
            datasetSeries[(model, window)] = datasetLabels;
        }
    }

    /// <summary>Removes the drift series of <paramref name="model"/> over <paramref name="window"/> (no drift to show now).</summary>
    public void ClearDrift(string model, string window)
    {
        lock (driftLock)
        {
            if (featureSeries.Remove((model, window), out var series))
            {
                foreach (var labels in series)
                {
                    driftScore.RemoveLabelled(labels);
                    driftDetected.RemoveLabelled(labels);
                }
            }

            if (datasetSeries.Remove((model, window), out var datasetLabels))
            {
                datasetDrift.RemoveLabelled(datasetLabels);
                driftedShare.RemoveLabelled(datasetLabels);
            }
        }
    }
}

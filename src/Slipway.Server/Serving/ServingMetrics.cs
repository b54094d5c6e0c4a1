using Prometheus;
using Slipway.Serving.Hosting;

namespace Slipway.Server.Serving;

/// <summary>
/// The scoring metrics at <c>/metrics</c>, in a registry of their own (no process or runtime meters, whose names
/// Prometheus' own checker rejects): request duration, requests by model, version and status class, and the host's
/// swap, failure, batching and queue counters read at scrape time.
/// </summary>
internal sealed class ServingMetrics
{
    /// <summary>Request duration buckets: 25 µs doubling up to about 13 s.</summary>
    private static readonly double[] DurationBuckets = Histogram.ExponentialBuckets(0.000025, 2, 20);

    private static readonly string[] StatusClasses = ["1xx", "2xx", "3xx", "4xx", "5xx"];

    private readonly Histogram duration;
    private readonly Counter requests;

    public ServingMetrics(ModelHost host)
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        duration = factory.CreateHistogram(
            "slipway_serving_request_duration_seconds",
            "Time from reading a scoring request to its answer, in seconds.",
            new HistogramConfiguration { Buckets = DurationBuckets, LabelNames = ["model"] });
        requests = factory.CreateCounter(
            "slipway_serving_requests_total",
            "Scoring requests answered, by model, version and status class.",
            new CounterConfiguration { LabelNames = ["model", "version", "status"] });
        var swaps = factory.CreateCounter("slipway_serving_model_swaps_total", "Versions that went live (the first load included).", "model");
        var failures = factory.CreateCounter("slipway_serving_model_load_failures_total", "Versions that failed to download, load or validate and never went live.", "model");
        var runs = factory.CreateCounter("slipway_serving_runs_total", "Runtime calls: one per request run alone, one per merged batch.", "model");
        var merged = factory.CreateCounter("slipway_serving_merged_runs_total", "Runtime calls that merged several requests.", "model");
        var rows = factory.CreateCounter("slipway_serving_rows_total", "Rows scored.", "model");
        var rejected = factory.CreateCounter("slipway_serving_rejected_requests_total", "Requests refused with 429 because the model's queue was full.", "model");
        var queued = factory.CreateGauge("slipway_serving_queued_requests", "Requests waiting for a free run.", "model");
        var loaded = factory.CreateGauge("slipway_serving_model_loaded", "1 when a version of the model is live, else 0.", "model");
        var inFlight = factory.CreateGauge("slipway_serving_in_flight_requests", "Scoring requests being answered.");
        Registry.AddBeforeCollectCallback(() =>
        {
            foreach (var model in host.Models)
            {
                var status = model.GetStatus();
                swaps.WithLabels(model.Name).IncTo(status.Swaps);
                failures.WithLabels(model.Name).IncTo(status.Failures);
                runs.WithLabels(model.Name).IncTo(status.Batching.Runs);
                merged.WithLabels(model.Name).IncTo(status.Batching.MergedRuns);
                rows.WithLabels(model.Name).IncTo(status.Batching.Rows);
                rejected.WithLabels(model.Name).IncTo(status.Batching.Rejected);
                queued.WithLabels(model.Name).Set(status.Batching.Queued);
                loaded.WithLabels(model.Name).Set(status.LiveVersion is null ? 0 : 1);
            }

            inFlight.Set(host.InFlight);
        });
    }

    /// <summary>The registry <c>/metrics</c> exports.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Records one answered request.</summary>
    /// <param name="model">The model name (or <c>unknown</c>).</param>
    /// <param name="version">The version that answered, or empty when none did.</param>
    /// <param name="status">The HTTP status sent.</param>
    /// <param name="seconds">How long it took.</param>
    public void Record(string model, string version, int status, double seconds)
    {
        duration.WithLabels(model).Observe(seconds);
        var statusClass = status is >= 100 and < 600 ? StatusClasses[(status / 100) - 1] : "5xx";
        requests.WithLabels(model, version, statusClass).Inc();
    }
}

using System.Collections.Concurrent;
using Prometheus;
using Slipway.Serving.Hosting;

namespace Slipway.Server.Serving;

/// <summary>
/// The scoring metrics at <c>/metrics</c>, in a registry of their own (no process or runtime meters, whose names
/// Prometheus' own checker rejects): request duration and count by model, version, alias, protocol (and status class),
/// runtime call duration and rows per call, queue depth, requests in flight, version swaps and load failures, a model
/// info gauge, and the host's batching counters read at scrape time. Monitoring adds its own instruments to
/// <see cref="Registry"/> through <see cref="Factory"/>. Labels are bounded: served models, their versions,
/// two protocols and five status classes; never request ids or values.
/// </summary>
internal sealed class ServingMetrics : IServingObserver
{
    /// <summary>The <c>protocol</c> label of MLflow <c>/invocations</c> requests.</summary>
    public const string Mlflow = "mlflow";

    /// <summary>The <c>protocol</c> label of Open Inference Protocol V2 requests.</summary>
    public const string V2 = "v2";

    /// <summary>Duration buckets: 25 µs doubling up to about 13 s, so tens of microseconds and seconds both resolve.</summary>
    private static readonly double[] DurationBuckets = Histogram.ExponentialBuckets(0.000025, 2, 20);

    /// <summary>Rows per runtime call: 1 doubling up to 4096.</summary>
    private static readonly double[] RowBuckets = Histogram.ExponentialBuckets(1, 2, 13);

    private static readonly string[] StatusClasses = ["1xx", "2xx", "3xx", "4xx", "5xx"];

    private readonly Histogram duration;
    private readonly Counter requests;
    private readonly Histogram inference;
    private readonly Histogram batchRows;

    // Children are looked up once per label combination and cached, so recording a request allocates nothing (the
    // library's label lookup takes a params array).
    private readonly ConcurrentDictionary<RequestKey, RequestSeries> requestSeries = new();
    private readonly ConcurrentDictionary<(string Model, string Version), RunSeries> runSeries = new();

    /// <summary>Creates the instruments; the host's own counters are read once <see cref="Watch"/> names the host.</summary>
    public ServingMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        Factory = Metrics.WithCustomRegistry(Registry);
        duration = Factory.CreateHistogram(
            "slipway_serving_request_duration_seconds",
            "Time from reading a scoring request to its answer, in seconds.",
            new HistogramConfiguration { Buckets = DurationBuckets, LabelNames = ["model", "version", "alias", "protocol"] });
        requests = Factory.CreateCounter(
            "slipway_serving_requests_total",
            "Scoring requests answered, by model, version, alias, protocol and status class.",
            new CounterConfiguration { LabelNames = ["model", "version", "alias", "protocol", "status"] });
        inference = Factory.CreateHistogram(
            "slipway_serving_inference_duration_seconds",
            "Time the model runtime took per call (one request alone or one merged batch), in seconds.",
            new HistogramConfiguration { Buckets = DurationBuckets, LabelNames = ["model", "version"] });
        batchRows = Factory.CreateHistogram(
            "slipway_serving_batch_rows",
            "Rows per model runtime call (a merged batch counts all its requests' rows).",
            new HistogramConfiguration { Buckets = RowBuckets, LabelNames = ["model", "version"] });
    }

    /// <summary>The registry <c>/metrics</c> exports.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Creates further instruments in <see cref="Registry"/>.</summary>
    public IMetricFactory Factory { get; }

    /// <summary>Reads <paramref name="host"/>'s counters, queue, live versions and requests in flight at each scrape.</summary>
    public void Watch(ModelHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var info = Factory.CreateGauge(
            "slipway_model_info",
            "1 for each live model version, with its alias and runtime platform.",
            ["model", "version", "alias", "platform"]);
        var swaps = Factory.CreateCounter("slipway_serving_model_swaps_total", "Versions that went live (the first load included).", ["model", "alias"]);
        var failures = Factory.CreateCounter("slipway_serving_model_load_failures_total", "Versions that failed to download, load or validate and never went live.", ["model", "alias"]);
        var runs = Factory.CreateCounter("slipway_serving_runs_total", "Runtime calls: one per request run alone, one per merged batch.", ["model"]);
        var merged = Factory.CreateCounter("slipway_serving_merged_runs_total", "Runtime calls that merged several requests.", ["model"]);
        var rows = Factory.CreateCounter("slipway_serving_rows_total", "Rows scored.", ["model"]);
        var rejected = Factory.CreateCounter("slipway_serving_rejected_requests_total", "Requests refused with 429 because the model's queue was full.", ["model"]);
        var queued = Factory.CreateGauge("slipway_serving_queued_requests", "Requests waiting for a free run.", ["model"]);
        var loaded = Factory.CreateGauge("slipway_serving_model_loaded", "1 when a version of the model is live, else 0.", ["model", "alias"]);
        var inFlight = Factory.CreateGauge("slipway_serving_in_flight_requests", "Scoring requests being answered.", []);
        var shown = new HashSet<(string Model, string Version, string Alias, string Platform)>();
        Registry.AddBeforeCollectCallback(() =>
        {
            var live = new HashSet<(string Model, string Version, string Alias, string Platform)>();
            foreach (var model in host.Models)
            {
                var status = model.GetStatus();
                var alias = model.Alias;
                swaps.WithLabels(model.Name, alias).IncTo(status.Swaps);
                failures.WithLabels(model.Name, alias).IncTo(status.Failures);
                runs.WithLabels(model.Name).IncTo(status.Batching.Runs);
                merged.WithLabels(model.Name).IncTo(status.Batching.MergedRuns);
                rows.WithLabels(model.Name).IncTo(status.Batching.Rows);
                rejected.WithLabels(model.Name).IncTo(status.Batching.Rejected);
                queued.WithLabels(model.Name).Set(status.Batching.Queued);
                loaded.WithLabels(model.Name, alias).Set(status.LiveVersion is null ? 0 : 1);
                if (model.Contract is { } contract)
                {
                    live.Add((model.Name, contract.Version, alias, contract.Platform));
                }
            }

            // A swapped-out version leaves the info gauge, so joins on it always see the live version.
            lock (shown)
            {
                foreach (var gone in shown)
                {
                    if (!live.Contains(gone))
                    {
                        info.RemoveLabelled(gone.Model, gone.Version, gone.Alias, gone.Platform);
                    }
                }

                shown.Clear();
                foreach (var current in live)
                {
                    info.WithLabels(current.Model, current.Version, current.Alias, current.Platform).Set(1);
                    shown.Add(current);
                }
            }

            inFlight.Set(host.InFlight);
        });
    }

    /// <summary>Records one answered request.</summary>
    /// <param name="model">The model name (or <c>unknown</c>).</param>
    /// <param name="version">The version that answered, or empty when none did.</param>
    /// <param name="alias">The alias the model follows, or empty.</param>
    /// <param name="protocol"><see cref="Mlflow"/> or <see cref="V2"/>.</param>
    /// <param name="status">The HTTP status sent.</param>
    /// <param name="seconds">How long it took.</param>
    public void Record(string model, string version, string alias, string protocol, int status, double seconds)
    {
        var statusClass = status is >= 100 and < 600 ? (status / 100) - 1 : 4;
        var key = new RequestKey(model, version, alias, protocol, statusClass);
        if (!requestSeries.TryGetValue(key, out var series))
        {
            series = requestSeries.GetOrAdd(key, static (k, self) => self.CreateRequestSeries(k), this);
        }

        series.Duration.Observe(seconds);
        series.Requests.Inc();
    }

    /// <inheritdoc />
    public void RuntimeCalled(string model, string version, long rows, double seconds)
    {
        if (!runSeries.TryGetValue((model, version), out var series))
        {
            series = runSeries.GetOrAdd((model, version), static (k, self) => new RunSeries(
                self.inference.WithLabels(k.Model, k.Version),
                self.batchRows.WithLabels(k.Model, k.Version)), this);
        }

        series.Duration.Observe(seconds);
        series.Rows.Observe(rows);
    }

    private RequestSeries CreateRequestSeries(RequestKey key) => new(
        duration.WithLabels(key.Model, key.Version, key.Alias, key.Protocol),
        requests.WithLabels(key.Model, key.Version, key.Alias, key.Protocol, StatusClasses[key.StatusClass]));

    private readonly record struct RequestKey(string Model, string Version, string Alias, string Protocol, int StatusClass);

    private sealed record RequestSeries(Histogram.Child Duration, Counter.Child Requests);

    private sealed record RunSeries(Histogram.Child Duration, Histogram.Child Rows);
}

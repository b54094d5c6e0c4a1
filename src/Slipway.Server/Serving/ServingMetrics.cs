using System.Collections.Concurrent;
using Prometheus;
using Slipway.Serving.Hosting;

namespace Slipway.Server.Serving;

/// <summary>
/// The scoring metrics at <c>/metrics</c>, in a registry of their own (no process or runtime meters, whose names
/// Prometheus' own checker rejects): request duration and count by model, version, alias, protocol (and status class),
/// runtime call duration and rows per call, queue depth, requests in flight, version swaps and load failures, a model
/// info gauge, and the host's batching counters read at scrape time. Requests carry a <c>variant</c> label
/// (<c>stable</c> or <c>canary</c>: which side of the alias's traffic split answered); mirrored shadow runs are counted
/// apart (<c>slipway_shadow_*</c>) so that they never weigh on the callers' error rate and latency. Monitoring adds its
/// own instruments to <see cref="Registry"/> through <see cref="Factory"/>. Labels are bounded: served models, their
/// versions, two protocols, five status classes, three variants and the models' output names; never request ids or values.
/// </summary>
internal sealed class ServingMetrics : IServingObserver
{
    /// <summary>The <c>protocol</c> label of MLflow <c>/invocations</c> requests.</summary>
    public const string Mlflow = "mlflow";

    /// <summary>The <c>protocol</c> label of Open Inference Protocol V2 requests.</summary>
    public const string V2 = "v2";

    /// <summary>The <c>variant</c> label of requests the alias's target answered (all of them without a split).</summary>
    public const string Stable = "stable";

    /// <summary>The <c>variant</c> label of requests a canary answered.</summary>
    public const string Canary = "canary";

    /// <summary>The <c>variant</c> label of a shadow's mirrored runs.</summary>
    public const string Shadow = "shadow";

    /// <summary>Duration buckets: 25 µs doubling up to about 13 s, so tens of microseconds and seconds both resolve.</summary>
    private static readonly double[] DurationBuckets = Histogram.ExponentialBuckets(0.000025, 2, 20);

    /// <summary>Rows per runtime call: 1 doubling up to 4096.</summary>
    private static readonly double[] RowBuckets = Histogram.ExponentialBuckets(1, 2, 13);

    private static readonly string[] StatusClasses = ["1xx", "2xx", "3xx", "4xx", "5xx"];

    /// <summary>Agreement buckets: the share of a request's rows on which the shadow agreed with the stable answer.</summary>
    private static readonly double[] AgreementBuckets = [0, 0.5, 0.8, 0.9, 0.95, 0.99, 1];

    /// <summary>Mean absolute difference buckets: 1e-7 multiplying by 10 up to 1e3.</summary>
    private static readonly double[] DifferenceBuckets = Histogram.ExponentialBuckets(1e-7, 10, 11);

    private static readonly string[] ShadowResults = ["ok", "error", "dropped"];

    private readonly Histogram duration;
    private readonly Counter requests;
    private readonly Histogram inference;
    private readonly Histogram batchRows;
    private readonly Counter shadowRequests;
    private readonly Histogram shadowDuration;
    private readonly Histogram shadowAgreement;
    private readonly Histogram shadowDifference;

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
            new HistogramConfiguration { Buckets = DurationBuckets, LabelNames = ["model", "version", "alias", "protocol", "variant"] });
        requests = Factory.CreateCounter(
            "slipway_serving_requests_total",
            "Scoring requests answered, by model, version, alias, protocol, status class and traffic split variant.",
            new CounterConfiguration { LabelNames = ["model", "version", "alias", "protocol", "status", "variant"] });
        inference = Factory.CreateHistogram(
            "slipway_serving_inference_duration_seconds",
            "Time the model runtime took per call (one request alone or one merged batch), in seconds.",
            new HistogramConfiguration { Buckets = DurationBuckets, LabelNames = ["model", "version"] });
        batchRows = Factory.CreateHistogram(
            "slipway_serving_batch_rows",
            "Rows per model runtime call (a merged batch counts all its requests' rows).",
            new HistogramConfiguration { Buckets = RowBuckets, LabelNames = ["model", "version"] });
        shadowRequests = Factory.CreateCounter(
            "slipway_shadow_requests_total",
            "Requests mirrored to a shadow version: scored (ok), failed (error), or dropped because the shadow was busy.",
            new CounterConfiguration { LabelNames = ["model", "version", "alias", "result"] });
        shadowDuration = Factory.CreateHistogram(
            "slipway_shadow_duration_seconds",
            "Time a shadow version took to bind and score a mirrored request, in seconds.",
            new HistogramConfiguration { Buckets = DurationBuckets, LabelNames = ["model", "version", "alias"] });
        shadowAgreement = Factory.CreateHistogram(
            "slipway_shadow_agreement_ratio",
            "Per mirrored request and integer, boolean or string output: the share of rows on which the shadow's answer equals the stable one.",
            new HistogramConfiguration { Buckets = AgreementBuckets, LabelNames = ["model", "version", "alias", "output"] });
        shadowDifference = Factory.CreateHistogram(
            "slipway_shadow_mean_absolute_difference",
            "Per mirrored request and floating-point output: the mean absolute difference between the shadow's values and the stable ones.",
            new HistogramConfiguration { Buckets = DifferenceBuckets, LabelNames = ["model", "version", "alias", "output"] });
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
        var share = Factory.CreateGauge(
            "slipway_serving_traffic_share",
            "Share of requests (0 to 1) each variant of the alias's traffic split receives: stable and canary answer, shadow is mirrored.",
            ["model", "alias", "variant"]);
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
                var split = model.Split;
                var canaryShare = split is { CanaryLive: true } ? Math.Clamp(split.State.CanaryWeight, 0, 1) : 0;
                share.WithLabels(model.Name, alias, Stable).Set(1 - canaryShare);
                share.WithLabels(model.Name, alias, Canary).Set(canaryShare);
                share.WithLabels(model.Name, alias, Shadow).Set(split is { ShadowLive: true } ? Math.Clamp(split.State.ShadowShare, 0, 1) : 0);
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
    /// <param name="variant">Which side of the traffic split answered: <see cref="Stable"/> (also without a split) or <see cref="Canary"/>.</param>
    public void Record(string model, string version, string alias, string protocol, int status, double seconds, TrafficVariant variant = TrafficVariant.Stable)
    {
        var statusClass = status is >= 100 and < 600 ? (status / 100) - 1 : 4;
        var key = new RequestKey(model, version, alias, protocol, statusClass, variant);
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

    /// <summary>Records one mirrored request's shadow run and, when it scored, how its outputs compared.</summary>
    public void RecordShadow(string model, string version, string alias, ShadowResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        shadowRequests.WithLabels(model, version, alias, ShadowResults[(int)result.Outcome]).Inc();
        if (result.Outcome == ShadowOutcome.Dropped)
        {
            return;
        }

        shadowDuration.WithLabels(model, version, alias).Observe(result.Seconds);
        foreach (var output in result.Outputs)
        {
            var histogram = output.Kind == ComparisonKind.Agreement ? shadowAgreement : shadowDifference;
            histogram.WithLabels(model, version, alias, output.Output).Observe(output.Value);
        }
    }

    /// <summary>The <c>variant</c> label value of <paramref name="variant"/>.</summary>
    public static string VariantLabel(TrafficVariant variant) => variant switch
    {
        TrafficVariant.Canary => Canary,
        TrafficVariant.Shadow => Shadow,
        _ => Stable,
    };

    private RequestSeries CreateRequestSeries(RequestKey key) => new(
        duration.WithLabels(key.Model, key.Version, key.Alias, key.Protocol, VariantLabel(key.Variant)),
        requests.WithLabels(key.Model, key.Version, key.Alias, key.Protocol, StatusClasses[key.StatusClass], VariantLabel(key.Variant)));

    private readonly record struct RequestKey(string Model, string Version, string Alias, string Protocol, int StatusClass, TrafficVariant Variant);

    private sealed record RequestSeries(Histogram.Child Duration, Counter.Child Requests);

    private sealed record RunSeries(Histogram.Child Duration, Histogram.Child Rows);
}

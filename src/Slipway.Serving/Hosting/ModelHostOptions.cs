using Slipway.Serving.Runtimes;

namespace Slipway.Serving.Hosting;

/// <summary>What a <see cref="ModelHost"/> serves and how it follows the registry.</summary>
public sealed class ModelHostOptions
{
    /// <summary>Default <see cref="PollInterval"/>: one second.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(1);

    /// <summary>The models to serve; each registered model name at most once.</summary>
    public IList<ServedModelOptions> Models { get; } = [];

    /// <summary>
    /// Where downloaded versions are kept, one folder per content digest, so a version already on disk is never
    /// downloaded twice. Default: <c>slipway-model-cache</c> in the system's temporary directory.
    /// </summary>
    public string CacheDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "slipway-model-cache");

    /// <summary>
    /// How often alias URIs are checked for a move (and failed first loads retried). Default one second; zero or
    /// negative turns polling off.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = DefaultPollInterval;

    /// <summary>
    /// Where served aliases read their traffic split (canary and shadow versions and shares), asked with each alias on
    /// every poll. Default none: every request goes to the alias's target. Versions a split names are downloaded,
    /// loaded and validated like the target; a canary or shadow that fails is reported and not routed to.
    /// </summary>
    public DeploymentStateSource? Splits { get; set; }

    /// <summary>The clock for swap and failure times and for the polling delay. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>Loads packages into runtimes. Default <see cref="ModelRuntimes.Load"/>.</summary>
    public ModelLoader Loader { get; set; } = ModelRuntimes.Load;

    /// <summary>
    /// Binds a version's input example for the warm-up run that validates it before it goes live. Default
    /// <see cref="InputExamples.Bind"/> (the MLflow reader; versions without an example are loaded without a
    /// validation run); null turns validation off.
    /// </summary>
    public InputExampleBinder? ExampleBinder { get; set; } = InputExamples.Bind;

    /// <summary>Called (on a background thread) when a version goes live or is rejected; for logs and metrics. Default none.</summary>
    public Action<ModelHostEvent>? Events { get; set; }

    /// <summary>
    /// Sees each runtime call's rows and duration (for metrics). Default none: then runs are not even timed.
    /// Read when a version is loaded, so set it before <see cref="ModelHost.StartAsync"/>.
    /// </summary>
    public IServingObserver? Observer { get; set; }
}

using Slipway.Core.Registry;

namespace Slipway.ServeHost;

/// <summary>
/// What <c>slipway-serve</c> serves and where it listens, read from the environment (a container's configuration) and
/// an optional model URI argument. Either a baked package (<see cref="ModelDirectory"/> with <see cref="BakedName"/>,
/// <see cref="BakedVersion"/> and <see cref="BakedDigest"/>) or <see cref="ModelUri"/> from <see cref="TrackingUri"/>.
/// </summary>
public sealed class ServeHostSettings
{
    /// <summary>The default listen address: every interface, port 8080 (what images <c>EXPOSE</c>).</summary>
    public const string DefaultUrls = "http://0.0.0.0:8080";

    /// <summary>The default baked package directory inside an image.</summary>
    public const string DefaultModelDirectory = "/model";

    /// <summary>Address(es) to listen on (<c>SLIPWAY_URLS</c>, separated by ';'); default <see cref="DefaultUrls"/>.</summary>
    public required string Urls { get; init; }

    /// <summary>The model to pull from the registry (argument or <c>SLIPWAY_MODEL_URI</c>); null in baked mode.</summary>
    public ModelUri? ModelUri { get; init; }

    /// <summary>The registry server (<c>SLIPWAY_TRACKING_URI</c>, else <c>MLFLOW_TRACKING_URI</c>); required with <see cref="ModelUri"/>.</summary>
    public Uri? TrackingUri { get; init; }

    /// <summary>The baked MLflow model directory (<c>SLIPWAY_MODEL_DIR</c>); default <see cref="DefaultModelDirectory"/>.</summary>
    public required string ModelDirectory { get; init; }

    /// <summary>The registered name the baked package is served under (<c>SLIPWAY_MODEL_NAME</c>).</summary>
    public string? BakedName { get; init; }

    /// <summary>The registry version of the baked package (<c>SLIPWAY_MODEL_VERSION</c>).</summary>
    public long BakedVersion { get; init; }

    /// <summary>The version's content digest (<c>SLIPWAY_MODEL_DIGEST</c>); the baked files must match it. Empty: not checked.</summary>
    public string BakedDigest { get; init; } = string.Empty;

    /// <summary>Where served packages are unpacked (<c>SLIPWAY_CACHE_DIR</c>); default a folder under the temp directory.</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>How often an alias is checked for a move (<c>SLIPWAY_POLL_INTERVAL</c>, seconds); default 1.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Where answered requests are logged to Parquet and profiled for drift (<c>SLIPWAY_MONITORING_DIR</c>); null (the
    /// default): not monitored, only counted at <c>/metrics</c>.
    /// </summary>
    public string? MonitoringDirectory { get; init; }

    /// <summary>The fraction of requests logged when monitored (<c>SLIPWAY_LOG_SAMPLE_RATE</c>, 0 to 1); default 1.</summary>
    public double LogSampleRate { get; init; } = 1.0;

    /// <summary>
    /// Reads the settings from <paramref name="args"/> (at most one model URI) and <paramref name="environment"/>;
    /// throws <see cref="ArgumentException"/> with a one-line message naming what is wrong.
    /// </summary>
    public static ServeHostSettings Read(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        if (args.Count > 1)
        {
            throw new ArgumentException("slipway-serve takes at most one argument, a model URI (models:/NAME/VERSION or models:/NAME@ALIAS).");
        }

        string? Get(string name) => environment(name) is { Length: > 0 } value ? value : null;
        var uriText = args.Count == 1 ? args[0] : Get("SLIPWAY_MODEL_URI");
        ModelUri? uri = null;
        Uri? tracking = null;
        if (uriText is not null)
        {
            if (!Core.Registry.ModelUri.TryParse(uriText, out var parsed))
            {
                throw new ArgumentException($"'{uriText}' is not a model URI: use models:/NAME/VERSION or models:/NAME@ALIAS.");
            }

            uri = parsed;
            var trackingText = Get("SLIPWAY_TRACKING_URI") ?? Get("MLFLOW_TRACKING_URI")
                ?? throw new ArgumentException($"serving {uriText} needs the registry: set SLIPWAY_TRACKING_URI to a Slipway server URL.");
            if (!Uri.TryCreate(trackingText, UriKind.Absolute, out tracking) || (tracking.Scheme != Uri.UriSchemeHttp && tracking.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"SLIPWAY_TRACKING_URI '{trackingText}' is not an http(s) URL of a Slipway server.");
            }
        }

        var name = Get("SLIPWAY_MODEL_NAME");
        long version = 0;
        if (uri is null)
        {
            if (name is null)
            {
                throw new ArgumentException("nothing to serve: set SLIPWAY_MODEL_NAME and SLIPWAY_MODEL_VERSION for the baked package, or SLIPWAY_MODEL_URI and SLIPWAY_TRACKING_URI.");
            }

            var versionText = Get("SLIPWAY_MODEL_VERSION");
            if (!long.TryParse(versionText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out version) || version < 1)
            {
                throw new ArgumentException($"SLIPWAY_MODEL_VERSION must be a positive whole number, not '{versionText}'.");
            }
        }

        var poll = TimeSpan.FromSeconds(1);
        if (Get("SLIPWAY_POLL_INTERVAL") is { } pollText)
        {
            if (!double.TryParse(pollText, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) || !(seconds >= 0))
            {
                throw new ArgumentException($"SLIPWAY_POLL_INTERVAL must be a number of seconds, not '{pollText}'.");
            }

            poll = TimeSpan.FromSeconds(seconds);
        }

        var sampleRate = 1.0;
        if (Get("SLIPWAY_LOG_SAMPLE_RATE") is { } rateText
            && (!double.TryParse(rateText, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out sampleRate) || !(sampleRate >= 0 && sampleRate <= 1)))
        {
            throw new ArgumentException($"SLIPWAY_LOG_SAMPLE_RATE must be a number from 0 to 1, not '{rateText}'.");
        }

        return new ServeHostSettings
        {
            Urls = Get("SLIPWAY_URLS") ?? DefaultUrls,
            ModelUri = uri,
            TrackingUri = tracking,
            ModelDirectory = Get("SLIPWAY_MODEL_DIR") ?? DefaultModelDirectory,
            BakedName = name,
            BakedVersion = version,
            BakedDigest = Get("SLIPWAY_MODEL_DIGEST") ?? string.Empty,
            CacheDirectory = Get("SLIPWAY_CACHE_DIR") ?? Path.Combine(Path.GetTempPath(), "slipway-model-cache"),
            PollInterval = poll,
            MonitoringDirectory = Get("SLIPWAY_MONITORING_DIR"),
            LogSampleRate = sampleRate,
        };
    }
}

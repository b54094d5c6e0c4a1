using Slipway.Serving.Hosting;
using Slipway.Server.Monitoring;

namespace Slipway.Server;

/// <summary>How <see cref="SlipwayServerHost"/> listens and where it keeps its data.</summary>
public sealed class SlipwayServerOptions
{
    /// <summary>
    /// Addresses to listen on, separated by <c>;</c>. Default <c>http://127.0.0.1:5000</c>; port 0 picks a free port
    /// (read the bound address from the started application's <c>Urls</c>).
    /// </summary>
    public string Urls { get; set; } = "http://127.0.0.1:5000";

    /// <summary>
    /// Metadata store URI (<c>sqlite:PATH</c> or <c>postgresql://user:pw@host:port/db</c>); null (the default) uses
    /// SQLite in <see cref="EmbeddedDirectory"/>.
    /// </summary>
    public string? Store { get; set; }

    /// <summary>
    /// Artifact store URI (a directory path or <c>s3://bucket/prefix</c>); null (the default) uses files in
    /// <see cref="EmbeddedDirectory"/>.
    /// </summary>
    public string? Artifacts { get; set; }

    /// <summary>Directory of the embedded stores, used for whichever of <see cref="Store"/> and <see cref="Artifacts"/> is null. Default <c>.slipway</c>.</summary>
    public string EmbeddedDirectory { get; set; } = ".slipway";

    /// <summary>
    /// Models to serve from this server's own registry (MLflow <c>/invocations</c>, V2, <c>/metrics</c>), with the
    /// host's settings; null (the default) serves none and <c>/health</c> always answers OK.
    /// </summary>
    public ModelHostOptions? Serving { get; set; }

    /// <summary>
    /// Monitoring of the served models (inference log, drift, feedback, their metrics); null (the default) or
    /// disabled turns it off. Used only with <see cref="Serving"/>.
    /// </summary>
    public ServingMonitoringOptions? Monitoring { get; set; }
}

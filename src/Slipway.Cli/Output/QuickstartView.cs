namespace Slipway.Cli.Output;

// Part of the --output json contract: fields are only ever added, never renamed or removed.
/// <summary>The result of <c>quickstart</c>.</summary>
/// <param name="Registry">The embedded registry directory.</param>
/// <param name="Version">The registered version.</param>
/// <param name="Alias">The alias pointed at it.</param>
/// <param name="Metrics">Evaluation metrics of the trained model.</param>
/// <param name="ServerRoundTrip">The version fetched back through the REST API of a temporary server.</param>
/// <param name="NextSteps">Commands to try next.</param>
/// <param name="RunId">The tracked training run the version was registered from.</param>
/// <param name="ExperimentId">The id of the <c>quickstart</c> experiment holding the run.</param>
/// <param name="Serving">What the champion answered when served and sent held-out rows over both scoring protocols.</param>
public sealed record QuickstartView(
    string Registry,
    VersionView Version,
    string Alias,
    IReadOnlyDictionary<string, double> Metrics,
    VersionView ServerRoundTrip,
    IReadOnlyList<string> NextSteps,
    string RunId,
    string ExperimentId,
    ServingProbeView Serving)
{
    /// <summary>The monitoring step: drift of the traffic sent, live accuracy from feedback, and where the files are.</summary>
    public MonitoringView? Monitoring { get; init; }

    /// <summary>The CI/CD step: a failed gate, a canary promotion decided by its policy, and a contract-checked rollback.</summary>
    public DeploymentStepView? Deployment { get; init; }
}

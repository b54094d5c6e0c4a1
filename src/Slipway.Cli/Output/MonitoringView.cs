namespace Slipway.Cli.Output;

// Part of the --output json contract: fields are only ever added, never renamed or removed.

/// <summary>What the quickstart's monitoring step showed: the drift of the traffic it sent, feedback, and where the files are.</summary>
/// <param name="Directory">The monitoring directory (inference log, profile snapshots, feedback).</param>
/// <param name="InferenceLog">The folder of the model's Parquet inference log.</param>
/// <param name="Profiles">The folder of the model's profile snapshots (Parquet).</param>
/// <param name="DriftReport">The self-contained HTML drift report.</param>
/// <param name="Dashboard">The Grafana dashboard (JSON) shipped with slipway.</param>
/// <param name="AlertRules">The Prometheus alert rules shipped with slipway.</param>
/// <param name="LoggedRows">Rows of the drifted slice read back from the inference log for the report.</param>
/// <param name="DriftedSliceRows">Rows of the drifted slice sent.</param>
/// <param name="DatasetDrift">Whether at least half of the features drifted in the slice.</param>
/// <param name="DriftedFeatures">Features whose test found drift.</param>
/// <param name="Features">Features tested.</param>
/// <param name="MostDrifted">The most drifted features, most drifted first.</param>
/// <param name="FeedbackRows">Rows whose true label was sent to <c>/api/slipway/feedback</c> and joined with the logged prediction.</param>
/// <param name="LiveAccuracy">Share of those rows the served model got right.</param>
public sealed record MonitoringView(
    string Directory,
    string InferenceLog,
    string Profiles,
    string DriftReport,
    string Dashboard,
    string AlertRules,
    long LoggedRows,
    int DriftedSliceRows,
    bool DatasetDrift,
    int DriftedFeatures,
    int Features,
    IReadOnlyList<FeatureDriftView> MostDrifted,
    int FeedbackRows,
    double LiveAccuracy);

/// <summary>One feature's drift test in the quickstart's summary.</summary>
/// <param name="Feature">The feature.</param>
/// <param name="Method">The test, as Evidently names it.</param>
/// <param name="Score">The p-value or distance.</param>
/// <param name="Threshold">The threshold it was held against.</param>
/// <param name="Drifted">Whether the test found drift.</param>
public sealed record FeatureDriftView(string Feature, string Method, double Score, double Threshold, bool Drifted);

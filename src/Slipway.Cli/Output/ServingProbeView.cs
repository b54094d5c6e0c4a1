namespace Slipway.Cli.Output;

// Part of the --output json contract: fields are only ever added, never renamed or removed.
/// <summary>What the quickstart's requests to the served champion showed.</summary>
/// <param name="Model">The served model's name.</param>
/// <param name="Version">The version that answered (from the V2 response's <c>model_version</c>).</param>
/// <param name="MlflowRequests">Requests sent to <c>/models/NAME/invocations</c> (dataframe_split).</param>
/// <param name="V2Requests">Requests sent to <c>/v2/models/NAME/infer</c>.</param>
/// <param name="Rows">Held-out rows scored through each protocol.</param>
/// <param name="MatchingTraining">Rows whose served label (both protocols alike) equals ML.NET's own prediction at training time.</param>
/// <param name="Accuracy">Share of the rows whose served label equals the true label.</param>
/// <param name="MlflowP50Milliseconds">Median round trip of the MLflow requests, in milliseconds.</param>
public sealed record ServingProbeView(
    string Model,
    string Version,
    int MlflowRequests,
    int V2Requests,
    int Rows,
    int MatchingTraining,
    double Accuracy,
    double MlflowP50Milliseconds);

namespace Slipway.Cli.Quickstart.Training;

/// <summary>What the quickstart's training step produced.</summary>
/// <param name="OnnxPath">The model exported to ONNX (one graph input per feature column, shape [-1, 1]).</param>
/// <param name="MlnetPath">The same model as an ML.NET <c>.zip</c>.</param>
/// <param name="Metrics">Held-out metrics: <c>accuracy</c>, <c>auc</c>, <c>f1</c>, <c>log_loss</c> (fractions; log loss in nats).</param>
/// <param name="Params">Training parameters as MLflow-style string values (trainer, trees, leaves, seed, split...).</param>
/// <param name="InputExamplePath">A few held-out rows as MLflow JSON (<c>dataframe_split</c>).</param>
/// <param name="FeatureColumns">The feature columns the model takes, in the data file's order.</param>
/// <param name="Iterations">Held-out metrics of the ensemble after each boosting iteration (tree), in order.</param>
/// <param name="ServingSample">Held-out rows to send to the served model, with the labels ML.NET itself predicted for them.</param>
public sealed record TrainingResult(
    string OnnxPath,
    string MlnetPath,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, string> Params,
    string InputExamplePath,
    IReadOnlyList<string> FeatureColumns,
    IReadOnlyList<IterationMetrics> Iterations,
    IReadOnlyList<(AdultRow Row, bool Predicted)> ServingSample)
{
    /// <summary>The training rows' features as CSV: the version's reference for drift.</summary>
    public string ReferenceDataPath { get; init; } = "";

    /// <summary>Held-out rows from a population the training data holds few of, sent as drifted traffic.</summary>
    public IReadOnlyList<AdultRow> DriftedSlice { get; init; } = [];
}

namespace Slipway.Cli.Registration;

/// <summary>What <c>models register</c> (and the quickstart) asks the registrar to do.</summary>
/// <param name="Name">Registered model name; created when missing.</param>
/// <param name="ModelPath">A bare <c>.onnx</c>, an ML.NET <c>.zip</c> or an MLflow model directory.</param>
/// <param name="Metrics">Evaluation metrics, stored as <c>slipway.metric.NAME</c> tags.</param>
/// <param name="Tags">User tags.</param>
/// <param name="RunId">The producing run, or empty.</param>
/// <param name="DataPaths">Training data files or folders, fingerprinted into lineage tags.</param>
/// <param name="Description">Version description, or empty.</param>
/// <param name="Columns">Input column names for models whose graph has one tensor input, or null.</param>
/// <param name="InputExamplePath">An input example file stored with the model, or null.</param>
/// <param name="ReferenceDataPath">Reference data (CSV or Parquet) stored with the version for drift (see <c>ReferenceStore</c>), or null.</param>
public sealed record RegistrationRequest(
    string Name,
    string ModelPath,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, string> Tags,
    string RunId,
    IReadOnlyList<string> DataPaths,
    string Description,
    IReadOnlyList<string>? Columns,
    string? InputExamplePath,
    string? ReferenceDataPath)
{
    /// <summary>
    /// When set (with <see cref="RunId"/>), the model is already logged to that run at this artifact path as an MLflow
    /// model directory: the version is created from <c>runs:/RUN_ID/PATH</c> instead of packaging and uploading
    /// <see cref="ModelPath"/> (which still names the model file for lineage). Null by default.
    /// </summary>
    public string? RunArtifactPath { get; init; }
}

using System.Text.Json.Serialization;

namespace Slipway.Cli.Output;

/// <summary>Source-generated JSON for the CLI's <c>--output json</c> results (snake_case, indented).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,

    // Metrics may be NaN or infinite (MLflow keeps NaN): written as "NaN", "Infinity", never a serialization failure.
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(ModelListView))]
[JsonSerializable(typeof(ModelView))]
[JsonSerializable(typeof(VersionView))]
[JsonSerializable(typeof(VersionListView))]
[JsonSerializable(typeof(AliasView))]
[JsonSerializable(typeof(AliasHistoryView))]
[JsonSerializable(typeof(DownloadView))]
[JsonSerializable(typeof(QuickstartView))]
[JsonSerializable(typeof(DeploymentStepView))]
[JsonSerializable(typeof(ExperimentListView))]
[JsonSerializable(typeof(ExperimentDetailView))]
[JsonSerializable(typeof(RunListView))]
[JsonSerializable(typeof(RunView))]
[JsonSerializable(typeof(RunComparisonView))]
[JsonSerializable(typeof(PredictView))]
public sealed partial class CliJsonContext : JsonSerializerContext;

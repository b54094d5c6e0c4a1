using System.Text.Json.Serialization;
using Slipway.Mlflow.Contracts;
using Slipway.Mlflow.Contracts.Tracking;

namespace Slipway.Mlflow;

/// <summary>
/// Source-generated JSON metadata for every MLflow and Slipway wire message: snake_case names as MLflow writes them,
/// null fields left out, numbers also accepted as strings (protobuf's JSON writes 64-bit integers as strings).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ErrorMessage))]
[JsonSerializable(typeof(EmptyMessage))]
[JsonSerializable(typeof(RegisteredModelResponse))]
[JsonSerializable(typeof(ModelVersionResponse))]
[JsonSerializable(typeof(SearchRegisteredModelsResponse))]
[JsonSerializable(typeof(SearchModelVersionsResponse))]
[JsonSerializable(typeof(DownloadUriResponse))]
[JsonSerializable(typeof(ListArtifactsResponse))]
[JsonSerializable(typeof(ModelVersionFilesResponse))]
[JsonSerializable(typeof(AliasHistoryResponse))]
[JsonSerializable(typeof(CreateRegisteredModelRequest))]
[JsonSerializable(typeof(RenameRegisteredModelRequest))]
[JsonSerializable(typeof(UpdateRegisteredModelRequest))]
[JsonSerializable(typeof(RegisteredModelRequest))]
[JsonSerializable(typeof(RegisteredModelTagRequest))]
[JsonSerializable(typeof(GetLatestVersionsRequest))]
[JsonSerializable(typeof(CreateModelVersionRequest))]
[JsonSerializable(typeof(ModelVersionRequest))]
[JsonSerializable(typeof(ModelVersionTagRequest))]
[JsonSerializable(typeof(AliasRequest))]
[JsonSerializable(typeof(CreateExperimentRequest))]
[JsonSerializable(typeof(CreateExperimentResponse))]
[JsonSerializable(typeof(ExperimentResponse))]
[JsonSerializable(typeof(ExperimentRequest))]
[JsonSerializable(typeof(UpdateExperimentRequest))]
[JsonSerializable(typeof(ExperimentTagRequest))]
[JsonSerializable(typeof(SearchExperimentsRequest))]
[JsonSerializable(typeof(SearchExperimentsResponse))]
[JsonSerializable(typeof(CreateRunRequest))]
[JsonSerializable(typeof(RunResponse))]
[JsonSerializable(typeof(UpdateRunRequest))]
[JsonSerializable(typeof(UpdateRunResponse))]
[JsonSerializable(typeof(RunRequest))]
[JsonSerializable(typeof(LogMetricRequest))]
[JsonSerializable(typeof(RunKeyValueRequest))]
[JsonSerializable(typeof(LogBatchRequest))]
[JsonSerializable(typeof(LogInputsRequest))]
[JsonSerializable(typeof(LogModelRequest))]
[JsonSerializable(typeof(SearchRunsRequest))]
[JsonSerializable(typeof(SearchRunsResponse))]
[JsonSerializable(typeof(MetricHistoryResponse))]
[JsonSerializable(typeof(RunArtifactsResponse))]
public sealed partial class MlflowJsonContext : JsonSerializerContext;

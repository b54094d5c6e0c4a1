namespace Slipway.Core.Tracking;

/// <summary>A dataset a run used (MLflow's <c>Dataset</c>); identified within an experiment by name and digest.</summary>
/// <param name="Name">Dataset name.</param>
/// <param name="Digest">Content digest as computed by the client.</param>
/// <param name="SourceType">Kind of source, e.g. <c>local</c>, <c>http</c>, <c>s3</c>.</param>
/// <param name="Source">JSON describing where the data lives.</param>
/// <param name="Schema">Optional JSON schema of the data, or null.</param>
/// <param name="Profile">Optional JSON profile (e.g. row counts), or null.</param>
public sealed record Dataset(string Name, string Digest, string SourceType, string Source, string? Schema, string? Profile);

/// <summary>A dataset logged as an input of a run, with tags such as <c>mlflow.data.context</c> = <c>training</c>.</summary>
/// <param name="Dataset">The dataset.</param>
/// <param name="Tags">Input tags, in the order given.</param>
public sealed record DatasetInput(Dataset Dataset, IReadOnlyList<RunTag> Tags);

namespace Slipway.Cli.Output;

// Part of the --output json contract: fields are only ever added, never renamed or removed.
/// <summary>A dataset a run used, as printed by <c>runs show</c>.</summary>
/// <param name="Name">Dataset name.</param>
/// <param name="Digest">Content digest computed by the client that logged it.</param>
/// <param name="SourceType">Kind of source, e.g. <c>local</c>.</param>
/// <param name="Source">JSON describing where the data lives.</param>
/// <param name="Context">The <c>mlflow.data.context</c> input tag (e.g. <c>training</c>), or empty.</param>
/// <param name="Tags">All input tags, sorted by key.</param>
public sealed record DatasetInputView(
    string Name,
    string Digest,
    string SourceType,
    string Source,
    string Context,
    IReadOnlyDictionary<string, string> Tags);

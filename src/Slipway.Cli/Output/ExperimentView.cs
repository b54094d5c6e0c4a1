namespace Slipway.Cli.Output;

// Part of the --output json contract: fields are only ever added, never renamed or removed.
/// <summary>An experiment as printed by <c>experiments list</c> and <c>experiments show</c>.</summary>
/// <param name="ExperimentId">Decimal id as text; <c>0</c> is the <c>Default</c> experiment.</param>
/// <param name="Name">Unique name.</param>
/// <param name="ArtifactLocation">Root URI of its runs' artifacts.</param>
/// <param name="LifecycleStage"><c>active</c> or <c>deleted</c>.</param>
/// <param name="CreationTime">Milliseconds since the Unix epoch.</param>
/// <param name="LastUpdateTime">Milliseconds since the Unix epoch.</param>
/// <param name="Tags">Experiment tags, sorted by key.</param>
public sealed record ExperimentView(
    string ExperimentId,
    string Name,
    string ArtifactLocation,
    string LifecycleStage,
    long CreationTime,
    long LastUpdateTime,
    IReadOnlyDictionary<string, string> Tags);

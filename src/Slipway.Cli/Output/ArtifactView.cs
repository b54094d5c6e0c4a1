namespace Slipway.Cli.Output;

// Part of the --output json contract: fields are only ever added, never renamed or removed.
/// <summary>One file of a run's artifacts.</summary>
/// <param name="Path">Path relative to the run's artifact root, with forward slashes.</param>
/// <param name="Size">Size in bytes, or null when the store does not say.</param>
public sealed record ArtifactView(string Path, long? Size);

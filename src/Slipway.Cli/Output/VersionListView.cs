namespace Slipway.Cli.Output;

// Part of the --output json contract: fields are only ever added, never renamed or removed.
/// <summary>The result of <c>models versions</c>.</summary>
/// <param name="Name">The model's name.</param>
/// <param name="Versions">Its versions, newest first.</param>
public sealed record VersionListView(string Name, IReadOnlyList<VersionView> Versions);

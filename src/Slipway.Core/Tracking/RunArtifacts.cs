using Slipway.Core.Artifacts;

namespace Slipway.Core.Tracking;

/// <summary>One directory level of a run's artifacts (the answer of <c>artifacts/list</c>).</summary>
/// <param name="RootUri">The run's artifact URI.</param>
/// <param name="Files">Entries directly under the listed path, with paths relative to <paramref name="RootUri"/>.</param>
/// <param name="NextPageToken">Token of the next page, or null.</param>
public sealed record RunArtifacts(string RootUri, IReadOnlyList<ArtifactEntry> Files, string? NextPageToken);

namespace Slipway.Mlflow.Contracts.Tracking;

/// <summary>Answer of <c>artifacts/list</c>: the run's artifact root and one directory level under the listed path.</summary>
public sealed class RunArtifactsResponse
{
    /// <summary>The run's artifact URI.</summary>
    public string? RootUri { get; set; }

    /// <summary>Entries, paths relative to <see cref="RootUri"/>; omitted when there are none.</summary>
    public IReadOnlyList<FileInfoMessage>? Files { get; set; }

    /// <summary>Token of the next page; omitted on the last page.</summary>
    public string? NextPageToken { get; set; }
}

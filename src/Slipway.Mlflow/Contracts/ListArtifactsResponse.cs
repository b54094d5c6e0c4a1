namespace Slipway.Mlflow.Contracts;

/// <summary><c>{"files": [...]}</c>; omitted when the directory is empty or absent, as MLflow does.</summary>
public sealed class ListArtifactsResponse
{
    /// <summary>The entries directly under the listed path.</summary>
    public IReadOnlyList<FileInfoMessage>? Files { get; set; }
}

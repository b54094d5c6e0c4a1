namespace Slipway.Mlflow.Contracts;

/// <summary><c>{"artifact_uri": "mlflow-artifacts:/..."}</c>: where a version's files can be downloaded.</summary>
public sealed class DownloadUriResponse
{
    /// <summary>The URI.</summary>
    public string? ArtifactUri { get; set; }
}

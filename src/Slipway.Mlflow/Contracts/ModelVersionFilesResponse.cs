namespace Slipway.Mlflow.Contracts;

/// <summary>Slipway's <c>{"files": [...]}</c> listing of a version's stored files, sorted by path.</summary>
public sealed class ModelVersionFilesResponse
{
    /// <summary>The files; empty (not omitted) when the version has none.</summary>
    public IReadOnlyList<StoredFileMessage>? Files { get; set; }
}

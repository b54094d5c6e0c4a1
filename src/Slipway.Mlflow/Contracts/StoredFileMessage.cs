namespace Slipway.Mlflow.Contracts;

/// <summary>Slipway's description of one stored file of a version: path, SHA-256 and size.</summary>
public sealed class StoredFileMessage
{
    /// <summary>Relative path with forward slashes.</summary>
    public string? Path { get; set; }

    /// <summary>Lower-case hex SHA-256.</summary>
    public string? Sha256 { get; set; }

    /// <summary>Length in bytes.</summary>
    public long Size { get; set; }
}

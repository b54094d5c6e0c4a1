namespace Slipway.Mlflow.Contracts;

/// <summary>An entry of an artifact listing: <c>{"path": "MLmodel", "is_dir": false, "file_size": 123}</c>.</summary>
public sealed class FileInfoMessage
{
    /// <summary>Name relative to the listed directory.</summary>
    public string? Path { get; set; }

    /// <summary>True for a directory.</summary>
    public bool IsDir { get; set; }

    /// <summary>Length in bytes; omitted for directories.</summary>
    public long? FileSize { get; set; }
}

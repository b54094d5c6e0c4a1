namespace Slipway.Mlflow.Contracts;

/// <summary>Body of <c>POST registered-models/rename</c>.</summary>
public sealed class RenameRegisteredModelRequest
{
    /// <summary>Required: the current name.</summary>
    public string? Name { get; set; }

    /// <summary>Required: the new name.</summary>
    public string? NewName { get; set; }
}

namespace Slipway.Mlflow.Contracts;

/// <summary>Body of <c>POST registered-models/set-tag</c> and <c>DELETE registered-models/delete-tag</c>.</summary>
public sealed class RegisteredModelTagRequest
{
    /// <summary>Required: the model.</summary>
    public string? Name { get; set; }

    /// <summary>Required: the tag key.</summary>
    public string? Key { get; set; }

    /// <summary>Required for set-tag (may be empty); ignored by delete-tag.</summary>
    public string? Value { get; set; }
}

namespace Slipway.Mlflow.Contracts;

/// <summary>Body of <c>POST registered-models/get-latest-versions</c>.</summary>
public sealed class GetLatestVersionsRequest
{
    /// <summary>Required: the model.</summary>
    public string? Name { get; set; }

    /// <summary>Legacy stages to report; all stages when omitted or empty.</summary>
    public IReadOnlyList<string>? Stages { get; set; }
}

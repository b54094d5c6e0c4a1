namespace Slipway.Mlflow.Contracts.Tracking;

/// <summary>Body of <c>POST runs/log-inputs</c>.</summary>
public sealed class LogInputsRequest
{
    /// <summary>Required: the run.</summary>
    public string? RunId { get; set; }

    /// <summary>Datasets the run used.</summary>
    public IReadOnlyList<DatasetInputMessage>? Datasets { get; set; }
}

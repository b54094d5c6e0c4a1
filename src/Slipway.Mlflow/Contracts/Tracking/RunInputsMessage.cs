namespace Slipway.Mlflow.Contracts.Tracking;

/// <summary>MLflow's <c>RunInputs</c> message; <see cref="DatasetInputs"/> is omitted when empty.</summary>
public sealed class RunInputsMessage
{
    /// <summary>Datasets the run used.</summary>
    public IReadOnlyList<DatasetInputMessage>? DatasetInputs { get; set; }
}

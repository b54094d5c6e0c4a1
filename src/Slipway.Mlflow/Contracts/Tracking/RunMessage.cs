namespace Slipway.Mlflow.Contracts.Tracking;

/// <summary>MLflow's <c>Run</c> message: <c>{"info": {...}, "data": {...}, "inputs": {...}}</c>; data and inputs are always present, possibly empty.</summary>
public sealed class RunMessage
{
    /// <summary>The run's attributes.</summary>
    public RunInfoMessage? Info { get; set; }

    /// <summary>Latest metrics, params and tags.</summary>
    public RunDataMessage? Data { get; set; }

    /// <summary>Datasets the run used.</summary>
    public RunInputsMessage? Inputs { get; set; }
}

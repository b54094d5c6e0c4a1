namespace Slipway.Mlflow.Contracts.Tracking;

/// <summary>Answer of <c>experiments/create</c>: <c>{"experiment_id": "1"}</c>.</summary>
public sealed class CreateExperimentResponse
{
    /// <summary>The new experiment's id.</summary>
    public string? ExperimentId { get; set; }
}

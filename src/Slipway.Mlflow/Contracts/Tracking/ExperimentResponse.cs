namespace Slipway.Mlflow.Contracts.Tracking;

/// <summary>Answer of <c>experiments/get</c> and <c>experiments/get-by-name</c>: <c>{"experiment": {...}}</c>.</summary>
public sealed class ExperimentResponse
{
    /// <summary>The experiment.</summary>
    public ExperimentMessage? Experiment { get; set; }
}

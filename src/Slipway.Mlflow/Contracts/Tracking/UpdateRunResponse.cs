namespace Slipway.Mlflow.Contracts.Tracking;

/// <summary>Answer of <c>runs/update</c>: <c>{"run_info": {...}}</c>.</summary>
public sealed class UpdateRunResponse
{
    /// <summary>The run's attributes after the update.</summary>
    public RunInfoMessage? RunInfo { get; set; }
}

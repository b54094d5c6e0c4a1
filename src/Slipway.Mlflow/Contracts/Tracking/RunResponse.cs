namespace Slipway.Mlflow.Contracts.Tracking;

/// <summary>Answer of <c>runs/create</c> and <c>runs/get</c>: <c>{"run": {...}}</c>.</summary>
public sealed class RunResponse
{
    /// <summary>The run.</summary>
    public RunMessage? Run { get; set; }
}

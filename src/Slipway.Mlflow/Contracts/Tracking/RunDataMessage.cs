namespace Slipway.Mlflow.Contracts.Tracking;

/// <summary>MLflow's <c>RunData</c> message; each list is omitted when empty, so a run without data reads <c>{}</c>.</summary>
public sealed class RunDataMessage
{
    /// <summary>The latest value of each metric.</summary>
    public IReadOnlyList<MetricMessage>? Metrics { get; set; }

    /// <summary>Parameters.</summary>
    public IReadOnlyList<ParamMessage>? Params { get; set; }

    /// <summary>Tags (MLflow's <c>RunTag</c>).</summary>
    public IReadOnlyList<TagMessage>? Tags { get; set; }
}

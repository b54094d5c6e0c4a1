namespace Slipway.Mlflow.Contracts.Tracking;

/// <summary>Body of <c>POST runs/log-batch</c>: up to 1,000 metrics, 100 params and 100 tags.</summary>
public sealed class LogBatchRequest
{
    /// <summary>Required: the run.</summary>
    public string? RunId { get; set; }

    /// <summary>Metric values to append.</summary>
    public IReadOnlyList<MetricMessage>? Metrics { get; set; }

    /// <summary>Parameters to log.</summary>
    public IReadOnlyList<ParamMessage>? Params { get; set; }

    /// <summary>Tags to set.</summary>
    public IReadOnlyList<TagMessage>? Tags { get; set; }
}

namespace Slipway.Mlflow.Contracts.Tracking;

/// <summary>Body of <c>POST runs/log-model</c>: what MLflow 2.x clients send after uploading a model's files.</summary>
public sealed class LogModelRequest
{
    /// <summary>The run.</summary>
    public string? RunId { get; set; }

    /// <summary>The model's <c>MLmodel</c> content as a JSON object (artifact_path, flavors, utc_time_created, run_id, ...).</summary>
    public string? ModelJson { get; set; }
}

namespace Slipway.Mlflow.Contracts.Tracking;

/// <summary>Body of <c>POST runs/update</c>; the run is named by <c>run_id</c> or the deprecated <c>run_uuid</c>.</summary>
public sealed class UpdateRunRequest
{
    /// <summary>The run.</summary>
    public string? RunId { get; set; }

    /// <summary>Deprecated spelling of <see cref="RunId"/>, used when that is absent.</summary>
    public string? RunUuid { get; set; }

    /// <summary>New status; unchanged when left out.</summary>
    public string? Status { get; set; }

    /// <summary>End time in milliseconds since the Unix epoch; unchanged when left out.</summary>
    public long? EndTime { get; set; }

    /// <summary>New display name; unchanged when left out.</summary>
    public string? RunName { get; set; }
}

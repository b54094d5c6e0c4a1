namespace Slipway.Mlflow.Contracts.Tracking;

/// <summary>Body of <c>POST runs/delete</c> and <c>runs/restore</c>.</summary>
public sealed class RunRequest
{
    /// <summary>The run.</summary>
    public string? RunId { get; set; }

    /// <summary>Deprecated spelling of <see cref="RunId"/>, used when that is absent.</summary>
    public string? RunUuid { get; set; }
}

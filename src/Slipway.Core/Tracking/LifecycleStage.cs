namespace Slipway.Core.Tracking;

/// <summary>Whether an experiment or run is live or soft-deleted (MLflow's <c>lifecycle_stage</c>: <c>active</c> / <c>deleted</c>).</summary>
public enum LifecycleStage
{
    /// <summary>Live; wire value <c>active</c>.</summary>
    Active,

    /// <summary>Soft-deleted and restorable; wire value <c>deleted</c>.</summary>
    Deleted,
}

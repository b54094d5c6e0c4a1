namespace Slipway.Core.Tracking;

/// <summary>A run's status (MLflow's <c>RunStatus</c>; wire values in upper case).</summary>
public enum RunStatus
{
    /// <summary><c>RUNNING</c>: the default of a new run.</summary>
    Running,

    /// <summary><c>SCHEDULED</c>.</summary>
    Scheduled,

    /// <summary><c>FINISHED</c>.</summary>
    Finished,

    /// <summary><c>FAILED</c>.</summary>
    Failed,

    /// <summary><c>KILLED</c>.</summary>
    Killed,
}

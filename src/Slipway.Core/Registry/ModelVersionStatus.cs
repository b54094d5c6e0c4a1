namespace Slipway.Core.Registry;

/// <summary>Registration state of a model version, as MLflow names it.</summary>
public enum ModelVersionStatus
{
    /// <summary>Created; its artifacts are still being copied and hashed. Not servable.</summary>
    PendingRegistration,

    /// <summary>Copying or hashing failed, or the process died before it finished. Never servable.</summary>
    FailedRegistration,

    /// <summary>All artifacts are durably stored and hashed. Immutable from here on.</summary>
    Ready,
}

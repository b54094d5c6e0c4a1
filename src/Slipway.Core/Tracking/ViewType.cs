namespace Slipway.Core.Tracking;

/// <summary>Which lifecycle stages a search returns (MLflow's <c>ViewType</c>).</summary>
public enum ViewType
{
    /// <summary>Only active entities (<c>ACTIVE_ONLY</c>, the default).</summary>
    ActiveOnly,

    /// <summary>Only deleted entities (<c>DELETED_ONLY</c>).</summary>
    DeletedOnly,

    /// <summary>Both (<c>ALL</c>).</summary>
    All,
}

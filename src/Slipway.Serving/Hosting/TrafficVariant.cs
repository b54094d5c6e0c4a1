namespace Slipway.Serving.Hosting;

/// <summary>Which side of an alias's traffic split answered (or mirrored) a request.</summary>
public enum TrafficVariant
{
    /// <summary>The alias's target: every request when no canary is live.</summary>
    Stable,

    /// <summary>The canary version, answering its weighted share of requests.</summary>
    Canary,

    /// <summary>The shadow version, scoring a mirrored copy whose answer the caller never sees.</summary>
    Shadow,
}

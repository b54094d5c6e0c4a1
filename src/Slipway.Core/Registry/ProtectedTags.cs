namespace Slipway.Core.Registry;

/// <summary>
/// Tags written once at registration and never changed after: lineage (where the version came from) and the metrics it
/// was registered with. Promotion gates and audits rely on them, so set-tag and delete-tag refuse them.
/// </summary>
public static class ProtectedTags
{
    /// <summary>Prefix of lineage tags, e.g. <c>slipway.lineage.git_commit</c>.</summary>
    public const string LineagePrefix = "slipway.lineage.";

    /// <summary>Prefix of registration metrics, e.g. <c>slipway.metric.accuracy</c>.</summary>
    public const string MetricPrefix = "slipway.metric.";

    /// <summary>True when the key may only be set at registration.</summary>
    public static bool IsProtected(string key) =>
        key.StartsWith(LineagePrefix, StringComparison.Ordinal) || key.StartsWith(MetricPrefix, StringComparison.Ordinal);
}

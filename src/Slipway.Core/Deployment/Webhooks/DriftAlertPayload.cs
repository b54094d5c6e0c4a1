namespace Slipway.Core.Deployment.Webhooks;

/// <summary>The <c>data</c> object of Slipway's <c>drift.alert</c> event.</summary>
public static class DriftAlertPayload
{
    /// <summary>
    /// The <c>data</c> of Slipway's <c>drift.alert</c>: <c>{"name", "alias", "version", "window", "drift_share",
    /// "threshold", "drifted_features"}</c> for the served version whose dataset drift turned true: the share of drifted
    /// features (0..1) against the share at which the dataset drifts, over the time window named (e.g. <c>1h</c>).
    /// </summary>
    public static string Data(string name, string? alias, string version, string window, double driftShare, double threshold, IReadOnlyList<string> driftedFeatures)
    {
        ArgumentNullException.ThrowIfNull(driftedFeatures);
        return RegistryEvents.Write(json =>
        {
            json.WriteString("name", name);
            RegistryEvents.WriteOptional(json, "alias", alias);
            json.WriteString("version", version);
            json.WriteString("window", window);
            json.WriteNumber("drift_share", driftShare);
            json.WriteNumber("threshold", threshold);
            json.WriteStartArray("drifted_features");
            foreach (var feature in driftedFeatures)
            {
                json.WriteStringValue(feature);
            }

            json.WriteEndArray();
        });
    }
}

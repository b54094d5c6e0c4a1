namespace Slipway.Core.Deployment.Webhooks;

/// <summary>The <c>data</c> object of Slipway's <c>drift.alert</c> event.</summary>
public static class DriftAlertPayload
{
    /// <summary>
    /// The <c>data</c> of Slipway's <c>drift.alert</c>: the served version whose dataset drift turned true, the share of
    /// drifted features against the threshold, and which features drifted.
    /// </summary>
    public static string Data(string name, string? alias, long version, double driftShare, double threshold, IReadOnlyList<string> driftedFeatures)
    {
        ArgumentNullException.ThrowIfNull(driftedFeatures);
        return RegistryEvents.Write(json =>
        {
            json.WriteString("name", name);
            RegistryEvents.WriteOptional(json, "alias", alias);
            json.WriteString("version", RegistryEvents.Text(version));
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

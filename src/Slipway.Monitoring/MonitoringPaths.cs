namespace Slipway.Monitoring;

/// <summary>
/// Where monitoring data lies under a monitoring directory: the inference log in <c>inferences/</c>, profile snapshots in
/// <c>profiles/</c> and feedback in <c>feedback/</c>, each partitioned Hive-style as <c>model=NAME/date=YYYY-MM-DD/</c>
/// so that standard Parquet readers (pandas, DuckDB, Spark) see the partitions as columns.
/// </summary>
public static class MonitoringPaths
{
    /// <summary>The inference log's folder under the monitoring directory.</summary>
    public const string Inferences = "inferences";

    /// <summary>The profile snapshots' folder under the monitoring directory.</summary>
    public const string Profiles = "profiles";

    /// <summary>The feedback log's folder under the monitoring directory.</summary>
    public const string Feedback = "feedback";

    /// <summary>The partition folder of one model and UTC day, relative to a log's folder.</summary>
    public static string Partition(string model, DateOnly day) =>
        Path.Combine("model=" + Uri.EscapeDataString(model), "date=" + day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
}

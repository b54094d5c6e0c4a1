namespace Slipway.Monitoring.Reports;

/// <summary>
/// What a drift report is about, printed in its header: the model version, where the reference and the current data
/// came from, and when the report was made. Every member is optional; reports leave out what is null.
/// </summary>
public sealed record DriftReportContext
{
    /// <summary>The registered model's name.</summary>
    public string? Model { get; init; }

    /// <summary>The model version.</summary>
    public long? Version { get; init; }

    /// <summary>Where the reference came from, e.g. <c>registry</c> or a file name.</summary>
    public string? ReferenceSource { get; init; }

    /// <summary>Where the current data came from: a file, <c>inference log since …</c> or a window such as <c>1h</c>.</summary>
    public string? CurrentSource { get; init; }

    /// <summary>The profile window (<c>1h</c>, <c>1d</c>, <c>7d</c>) when the report was computed from profiles; null otherwise.</summary>
    public string? Window { get; init; }

    /// <summary>When the report was made (UTC).</summary>
    public DateTimeOffset? GeneratedAt { get; init; }
}

namespace Slipway.Serving.Hosting;

/// <summary>What a mirrored request did on the shadow version.</summary>
/// <param name="Outcome">Scored, failed, or dropped because the shadow was busy.</param>
/// <param name="Seconds">How long the shadow took (binding and scoring), in seconds; 0 when dropped.</param>
/// <param name="Outputs">Each output's comparison with the stable answer (empty unless scored).</param>
/// <param name="Error">Why it failed, or null.</param>
public sealed record ShadowResult(ShadowOutcome Outcome, double Seconds, IReadOnlyList<OutputComparison> Outputs, string? Error = null)
{
    /// <summary>A mirrored request skipped because the shadow was already running as many requests as it may.</summary>
    public static ShadowResult Dropped { get; } = new(ShadowOutcome.Dropped, 0, []);
}

/// <summary>How a mirrored request ended.</summary>
public enum ShadowOutcome
{
    /// <summary>The shadow scored it; its answer was compared and discarded.</summary>
    Ok,

    /// <summary>The shadow could not bind or score it.</summary>
    Error,

    /// <summary>Not run: the shadow was busy (mirroring is bounded and never queues).</summary>
    Dropped,
}

/// <summary>How one output of the shadow's answer compares with the stable answer.</summary>
/// <param name="Output">The output name.</param>
/// <param name="Kind">What <paramref name="Value"/> measures.</param>
/// <param name="Value">The share of rows equal (0 to 1), or the mean absolute difference of the values.</param>
/// <param name="Rows">Rows compared.</param>
public readonly record struct OutputComparison(string Output, ComparisonKind Kind, double Value, long Rows);

/// <summary>What an <see cref="OutputComparison"/> measures.</summary>
public enum ComparisonKind
{
    /// <summary>Integer, boolean and string outputs: the share of rows whose values are all equal, 0 to 1.</summary>
    Agreement,

    /// <summary>Floating-point outputs: the mean absolute difference over all values.</summary>
    MeanAbsoluteDifference,
}

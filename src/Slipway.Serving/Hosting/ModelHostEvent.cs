namespace Slipway.Serving.Hosting;

/// <summary>Something that happened to a served model: a version went live, or one was rejected.</summary>
/// <param name="Model">The served model name.</param>
/// <param name="Version">The registry version concerned.</param>
/// <param name="Live">True when the version went live; false when it failed to download, load or validate.</param>
/// <param name="Message">Why it was rejected; null when it went live.</param>
/// <param name="Exception">The failure, when rejected.</param>
/// <param name="Variant">The version's role: the live version, or a traffic split's canary or shadow.</param>
public sealed record ModelHostEvent(string Model, string Version, bool Live, string? Message, Exception? Exception = null, TrafficVariant Variant = TrafficVariant.Stable);

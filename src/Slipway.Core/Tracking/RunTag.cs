namespace Slipway.Core.Tracking;

/// <summary>A run tag; setting an existing key replaces its value.</summary>
/// <param name="Key">Tag name (e.g. <c>mlflow.runName</c>).</param>
/// <param name="Value">Tag value.</param>
public sealed record RunTag(string Key, string Value);

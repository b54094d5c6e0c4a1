namespace Slipway.Core.Tracking;

/// <summary>A run parameter. Parameters are immutable: logging the same key again with another value is an error.</summary>
/// <param name="Key">Parameter name.</param>
/// <param name="Value">Value as text (at most 6,000 characters).</param>
public sealed record Param(string Key, string Value);

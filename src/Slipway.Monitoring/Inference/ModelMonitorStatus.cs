namespace Slipway.Monitoring.Inference;

/// <summary>One model version the monitor has seen since it started.</summary>
/// <param name="Model">The model name.</param>
/// <param name="Version">The version.</param>
/// <param name="Requests">Requests recorded (after sampling).</param>
/// <param name="Rows">Rows recorded.</param>
/// <param name="LastSeen">When its last recorded request was answered.</param>
/// <param name="IsLive">Whether it is the version that answered the model's latest recorded request.</param>
public sealed record ModelMonitorStatus(string Model, string Version, long Requests, long Rows, DateTimeOffset LastSeen, bool IsLive);

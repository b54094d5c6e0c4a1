namespace Slipway.Deploy.Gates;

/// <summary>A metric gate's condition evaluated with the versions' metrics.</summary>
/// <param name="Holds">Whether the condition holds.</param>
/// <param name="Left">The left side's value.</param>
/// <param name="Right">The right side's value.</param>
/// <param name="Detail">The condition with the values substituted and the comparison that holds, e.g. <c>0.861 &lt; 0.872 - 0.01 = 0.862</c>.</param>
public sealed record MetricEvaluation(bool Holds, double Left, double Right, string Detail);

namespace Slipway.Deploy.Gates;

/// <summary>One metric gate (an entry of <c>gates.metrics</c>), parsed when the policy is.</summary>
/// <param name="Expression">The condition.</param>
public sealed record MetricGate(MetricExpression Expression)
{
    /// <summary>The condition as written.</summary>
    public string Text => Expression.Text;
}

namespace Slipway.Deploy.Gates;

/// <summary>
/// A metric named in a metric gate, as written (<c>auc</c>, <c>candidate.auc</c>, <c>champion.auc</c>). Which version it
/// reads depends on the alias being promoted to, so it is resolved at run time (<see cref="Resolve"/>).
/// </summary>
/// <param name="Text">The reference as written.</param>
public sealed record MetricReference(string Text)
{
    /// <summary>The prefix naming the candidate's metrics.</summary>
    public const string CandidatePrefix = "candidate";

    /// <summary>The prefix naming the current target's metrics (whatever the alias is called).</summary>
    public const string CurrentPrefix = "current";

    /// <summary>A reference as written.</summary>
    public static MetricReference Parse(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        return new MetricReference(text);
    }

    /// <summary>
    /// Which version's metric this is when promoting to <paramref name="alias"/>, and the metric's name:
    /// <c>candidate.NAME</c> and <c>NAME</c> read the candidate, <c>current.NAME</c> and <c>ALIAS.NAME</c> the alias's
    /// current target; any other dotted name is the candidate's metric of that whole name.
    /// </summary>
    public (bool Current, string Metric) Resolve(string alias)
    {
        var dot = Text.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            return (false, Text);
        }

        var prefix = Text[..dot];
        var rest = Text[(dot + 1)..];
        if (string.Equals(prefix, CandidatePrefix, StringComparison.Ordinal))
        {
            return (false, rest);
        }

        if (string.Equals(prefix, CurrentPrefix, StringComparison.Ordinal) || string.Equals(prefix, alias, StringComparison.Ordinal))
        {
            return (true, rest);
        }

        return (false, Text);
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}

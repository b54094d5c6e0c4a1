namespace Slipway.Deploy.Gates;

/// <summary>A gate policy that cannot be used; the message names the field (e.g. <c>gates.latency.p99_ms</c>) and why.</summary>
public sealed class GatePolicyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GatePolicyException()
    {
    }

    /// <summary>Creates the exception with a message naming the field.</summary>
    public GatePolicyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the parser's error.</summary>
    public GatePolicyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

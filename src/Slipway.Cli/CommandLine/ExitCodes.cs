namespace Slipway.Cli.CommandLine;

/// <summary>The exit codes of the <c>slipway</c> command.</summary>
public static class ExitCodes
{
    /// <summary>Everything worked.</summary>
    public const int Success = 0;

    /// <summary>The command ran and failed (bad value, missing resource, unreachable registry, ...).</summary>
    public const int Failure = 1;

    /// <summary>The command line itself was wrong (unknown option, missing argument).</summary>
    public const int Usage = 2;

    /// <summary>A promotion failed a gate or a rollback was refused on its input contract; nothing moved.</summary>
    public const int Refused = 4;

    /// <summary>Cancelled with Ctrl+C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}

namespace Slipway.Cli.CommandLine;

/// <summary>
/// A failure caused by what the user asked for (a missing file, a malformed value). The CLI prints its message as
/// the one-line reason and exits with <see cref="ExitCode"/>.
/// </summary>
public sealed class CliException : Exception
{
    /// <summary>Creates the exception with exit code 1.</summary>
    public CliException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception around a lower-level cause, with exit code 1.</summary>
    public CliException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception with no message (required by the analyzers; prefer the other constructors).</summary>
    public CliException()
    {
    }

    /// <summary>The process exit code; 1 unless set.</summary>
    public int ExitCode { get; init; } = ExitCodes.Failure;
}

namespace Slipway.Cli.Build;

/// <summary>How a tool run ended.</summary>
/// <param name="ExitCode">The exit status.</param>
/// <param name="Output">Everything written to standard output.</param>
/// <param name="Error">Everything written to standard error.</param>
public sealed record ExternalProcessResult(int ExitCode, string Output, string Error)
{
    /// <summary>The last non-empty line of standard error, else of standard output: the usual reason for a failure.</summary>
    public string LastLine =>
        (Error + "\n" + Output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } lines
            ? LastOf(Error) ?? LastOf(Output) ?? lines[^1]
            : $"exit code {ExitCode}";

    private static string? LastOf(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
}

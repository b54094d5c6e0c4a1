using System.Text.Json;

namespace Slipway.Cli.Tests.Infrastructure;

/// <summary>What one run of the real <c>slipway</c> executable produced.</summary>
public sealed record CliResult(IReadOnlyList<string> Arguments, int ExitCode, string StdOut, string StdErr)
{
    /// <summary>Standard output parsed as JSON (for <c>--output json</c> runs).</summary>
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(StdOut);
        return document.RootElement.Clone();
    }

    /// <summary>The non-empty lines of standard error.</summary>
    public IReadOnlyList<string> ErrorLines =>
        StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Fails the test with everything the run printed unless it exited 0.</summary>
    public CliResult ShouldSucceed()
    {
        Assert.True(ExitCode == 0, $"slipway {string.Join(' ', Arguments)} exited {ExitCode}\nstdout:\n{StdOut}\nstderr:\n{StdErr}");
        return this;
    }

    /// <summary>
    /// Asserts the run failed the way every failure must: the expected exit code, exactly one line on stderr that
    /// starts with <c>error: </c> and contains <paramref name="messagePart"/>, and no stack trace anywhere.
    /// </summary>
    public CliResult ShouldFailWith(int exitCode, string messagePart)
    {
        Assert.True(ExitCode == exitCode, $"expected exit {exitCode}, got {ExitCode}\nstdout:\n{StdOut}\nstderr:\n{StdErr}");
        var lines = ErrorLines;
        Assert.True(lines.Count == 1, $"expected one stderr line, got {lines.Count}:\n{StdErr}");
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(messagePart, lines[0], StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception:", StdOut + StdErr, StringComparison.Ordinal);
        return this;
    }
}

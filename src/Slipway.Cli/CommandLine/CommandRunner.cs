using System.CommandLine;
using System.Net.Http;
using Slipway.Cli.Output;
using Slipway.Core.Registry;

namespace Slipway.Cli.CommandLine;

/// <summary>
/// Runs a command's action with the shared context and turns every failure into exit code ≠ 0 and one line
/// <c>error: REASON</c> on standard error: people and scripts never see a stack trace.
/// </summary>
public static class CommandRunner
{
    /// <summary>The environment variable reader used by commands; tests of the real executable set variables instead.</summary>
    private static readonly Func<string, string?> Environment = System.Environment.GetEnvironmentVariable;

    /// <summary>Sets <paramref name="action"/> as the command's action, wrapped in the error handling.</summary>
    public static void SetAction(Command command, Func<CliContext, ParseResult, CancellationToken, Task<int>> action)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, action, cancellationToken));
    }

    /// <summary>The one-line reason for a failure, and the exit code it maps to.</summary>
    public static (string Reason, int ExitCode) Describe(Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var (reason, code) = exception switch
        {
            CliException cli => (cli.Message, cli.ExitCode),
            RegistryException registry => (registry.Message, ExitCodes.Failure),
            OperationCanceledException when cancellationToken.IsCancellationRequested => ("cancelled.", ExitCodes.Cancelled),
            OperationCanceledException => ("the registry did not answer in time.", ExitCodes.Failure),
            HttpRequestException http => ($"cannot reach the registry: {http.Message}", ExitCodes.Failure),
            FileNotFoundException notFound => (notFound.Message, ExitCodes.Failure),
            DirectoryNotFoundException notFound => (notFound.Message, ExitCodes.Failure),
            UnauthorizedAccessException denied => (denied.Message, ExitCodes.Failure),
            IOException io => (io.Message, ExitCodes.Failure),
            _ => ($"{exception.Message} ({exception.GetType().Name})", ExitCodes.Failure),
        };

        // One line, always: some framework messages span several.
        return (SlipwayCli.OneLine(reason), code);
    }

    // A command whose own --output names a file (predict) shadows the global option; it then also takes json|table
    // among its values, so `--output FILE --output json` still asks for a JSON result.
    private static OutputFormat FormatOf(ParseResult parseResult)
    {
        var own = parseResult.CommandResult.Command.Options.OfType<Option<string[]>>().FirstOrDefault(o => o.Name == GlobalOptions.Output.Name);
        var json = own is not null
            ? parseResult.GetValue(own)?.Contains("json", StringComparer.OrdinalIgnoreCase) == true
            : string.Equals(parseResult.GetValue(GlobalOptions.Output), "json", StringComparison.OrdinalIgnoreCase);
        return json ? OutputFormat.Json : OutputFormat.Table;
    }

    private static async Task<int> RunAsync(
        ParseResult parseResult,
        Func<CliContext, ParseResult, CancellationToken, Task<int>> action,
        CancellationToken cancellationToken)
    {
        try
        {
            var context = new CliContext(FormatOf(parseResult), parseResult.GetValue(GlobalOptions.Registry), Environment, TimeProvider.System);
            return await action(context, parseResult, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            var (reason, code) = Describe(exception, cancellationToken);
            await Console.Error.WriteLineAsync($"error: {reason}").ConfigureAwait(false);
            return code;
        }
    }
}

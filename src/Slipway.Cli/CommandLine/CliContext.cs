using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Slipway.Cli.Connection;
using Slipway.Cli.Output;
using Spectre.Console;

namespace Slipway.Cli.CommandLine;

/// <summary>What a command needs from its surroundings: the parsed global options, the consoles and the clock.</summary>
public sealed class CliContext
{
    /// <summary>Render width, in characters, when standard output or error is not a terminal.</summary>
    public const int RedirectedWidth = 200;

    private readonly string? _registryOption;
    private readonly Func<string, string?> _environment;

    /// <summary>Creates the context.</summary>
    /// <param name="format">The result format.</param>
    /// <param name="registryOption">The <c>--registry</c> value, or null.</param>
    /// <param name="environment">Reads an environment variable (null when unset).</param>
    /// <param name="time">The clock.</param>
    public CliContext(OutputFormat format, string? registryOption, Func<string, string?> environment, TimeProvider time)
    {
        Format = format;
        _registryOption = registryOption;
        _environment = environment;
        Time = time;
        Out = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        Error = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

        // Redirected output has no window width (Spectre assumes 80): render wide rather than wrap values mid-word.
        if (Console.IsOutputRedirected)
        {
            Out.Profile.Width = RedirectedWidth;
        }

        if (Console.IsErrorRedirected)
        {
            Error.Profile.Width = RedirectedWidth;
        }

        // Progress bars are for people watching a terminal; scripts reading stderr get only the error line.
        ShowProgress = !Console.IsErrorRedirected;
    }

    /// <summary>The result format (<c>--output</c>).</summary>
    public OutputFormat Format { get; }

    /// <summary>The console results go to (standard output).</summary>
    public IAnsiConsole Out { get; }

    /// <summary>The console progress and notes go to (standard error).</summary>
    public IAnsiConsole Error { get; }

    /// <summary>True when standard error is a terminal, so progress bars are drawn.</summary>
    public bool ShowProgress { get; }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>The <c>--registry</c> value as given, or null.</summary>
    public string? RegistryOption => _registryOption;

    /// <summary>The registry address from <c>--registry</c>, the environment, or the default.</summary>
    public RegistryAddress ResolveRegistry() => RegistryAddress.Resolve(_registryOption, _environment);

    /// <summary>Opens the registry the global options point at.</summary>
    public Task<RegistryConnection> OpenRegistryAsync(CancellationToken cancellationToken) =>
        RegistryConnection.OpenAsync(ResolveRegistry(), Time, cancellationToken);

    /// <summary>Writes a result as JSON or as a table, per <see cref="Format"/>.</summary>
    public void WriteResult<T>(T value, JsonTypeInfo<T> jsonType, Action<IAnsiConsole, T> renderTable)
    {
        ArgumentNullException.ThrowIfNull(renderTable);
        if (Format == OutputFormat.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(value, jsonType));
        }
        else
        {
            renderTable(Out, value);
        }
    }

    /// <summary>
    /// Writes a progress note for people to standard error: only in table mode and when standard error is a terminal,
    /// so that a script capturing standard error sees nothing but the one <c>error:</c> line on failure.
    /// </summary>
    public void Note(string markup)
    {
        if (Format == OutputFormat.Table && ShowProgress)
        {
            Error.MarkupLine(markup);
        }
    }
}

using System.CommandLine;
using Slipway.Cli.Aliases;
using Slipway.Cli.Deployment;
using Slipway.Cli.Experiments;
using Slipway.Cli.Models;
using Slipway.Cli.Predict;
using Slipway.Cli.Quickstart;
using Slipway.Cli.Runs;
using Slipway.Cli.Server;
using Slipway.Cli.Serving;

namespace Slipway.Cli.CommandLine;

/// <summary>The <c>slipway</c> command line: builds the command tree and runs it.</summary>
public static class SlipwayCli
{
    /// <summary>How long a cancelled command (Ctrl+C, SIGTERM) may take to wind down before the process exits.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Builds the root command with every subcommand and the global options.</summary>
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("Slipway: take trained models to production (registry, CLI, server).")
        {
            GlobalOptions.Registry,
            GlobalOptions.Output,
            ServerCommand.Create(),
            ServeCommand.Create(),
            PredictCommand.Create(),
            ModelsCommand.Create(),
            AliasCommand.Create(),
            ExperimentsCommand.Create(),
            RunsCommand.Create(),
            QuickstartCommand.Create(),
            Drift.DriftCommand.Create(),
            PromoteCommand.Create(),
            RollbackCommand.Create(),
            PolicyCommand.Create(),
            DeploymentCommand.Create(),
            Ci.CiCommand.Create(),
            Build.BuildCommand.Create(),
        };
        return root;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/>. Usage errors print System.CommandLine's messages on standard error and
    /// return <see cref="ExitCodes.Usage"/>; otherwise returns the command's exit code.
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var parseResult = CreateRootCommand().Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            // Each message on one line (some span several), each only once (two missing arguments give the same text).
            foreach (var message in parseResult.Errors.Select(e => OneLine(e.Message)).Distinct(StringComparer.Ordinal))
            {
                await Console.Error.WriteLineAsync($"error: {message}").ConfigureAwait(false);
            }

            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration
        {
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = ShutdownTimeout,
        };
        return await parseResult.InvokeAsync(configuration).ConfigureAwait(false);
    }

    /// <summary>Joins the lines of a message with single spaces.</summary>
    public static string OneLine(string message) =>
        string.Join(' ', (message ?? string.Empty).Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

using System.CommandLine;

namespace Slipway.Cli.Runs;

/// <summary><c>slipway runs ...</c>: list, show, compare.</summary>
public static class RunsCommand
{
    /// <summary>Builds the command group.</summary>
    public static Command Create() => new("runs", "Inspect and compare tracked training runs")
    {
        RunListCommand.Create(),
        RunShowCommand.Create(),
        RunCompareCommand.Create(),
    };
}

using System.CommandLine;

namespace Slipway.Cli.Experiments;

/// <summary><c>slipway experiments ...</c>: list, show.</summary>
public static class ExperimentsCommand
{
    /// <summary>Builds the command group.</summary>
    public static Command Create() => new("experiments", "Inspect tracking experiments (groups of runs)")
    {
        ExperimentListCommand.Create(),
        ExperimentShowCommand.Create(),
    };
}

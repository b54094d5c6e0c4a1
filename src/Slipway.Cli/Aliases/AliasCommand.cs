using System.CommandLine;

namespace Slipway.Cli.Aliases;

/// <summary><c>slipway alias ...</c>: set, delete, history.</summary>
public static class AliasCommand
{
    /// <summary>Builds the command group.</summary>
    public static Command Create() => new("alias", "Move aliases (champion, challenger, ...) between versions")
    {
        AliasSetCommand.Create(),
        AliasDeleteCommand.Create(),
        AliasHistoryCommand.Create(),
    };
}

using System.CommandLine;

namespace Slipway.Cli.Models;

/// <summary><c>slipway models ...</c>: register, list, show, versions, download.</summary>
public static class ModelsCommand
{
    /// <summary>Builds the command group.</summary>
    public static Command Create() => new("models", "Register, inspect and download models")
    {
        RegisterCommand.Create(),
        ListCommand.Create(),
        ShowCommand.Create(),
        VersionsCommand.Create(),
        DownloadCommand.Create(),
        ReferenceCommand.Create(),
    };
}

using System.CommandLine;
using Slipway.Cli.CommandLine;
using Slipway.Cli.Output;

namespace Slipway.Cli.Aliases;

/// <summary><c>slipway alias delete NAME ALIAS [--reason TEXT]</c>: removes an alias.</summary>
public static class AliasDeleteCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "Registered model name" };
        var alias = new Argument<string>("ALIAS") { Description = "Alias to delete" };
        var reason = new Option<string?>("--reason") { HelpName = "text", Description = "Why, recorded in the alias history" };
        var command = new Command("delete", "Delete an alias") { name, alias, reason };
        CommandRunner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            await using var connection = await context.OpenRegistryAsync(cancellationToken).ConfigureAwait(false);
            await connection.Registry.DeleteAliasAsync(
                parse.GetValue(name)!, parse.GetValue(alias)!, parse.GetValue(reason), cancellationToken).ConfigureAwait(false);
            var view = new AliasView(parse.GetValue(name)!, parse.GetValue(alias)!, null, parse.GetValue(reason) ?? string.Empty);
            context.WriteResult(view, CliJsonContext.Default.AliasView, Tables.RenderAlias);
            return ExitCodes.Success;
        });
        return command;
    }
}

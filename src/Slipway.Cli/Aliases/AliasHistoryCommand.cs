using System.CommandLine;
using Slipway.Cli.CommandLine;
using Slipway.Cli.Output;

namespace Slipway.Cli.Aliases;

/// <summary><c>slipway alias history NAME [--alias A]</c>: the append-only record of alias moves, oldest first.</summary>
public static class AliasHistoryCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "Registered model name" };
        var alias = new Option<string?>("--alias") { HelpName = "alias", Description = "Only this alias (default: all)" };
        var command = new Command("history", "Show who moved which alias, when and why") { name, alias };
        CommandRunner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            await using var connection = await context.OpenRegistryAsync(cancellationToken).ConfigureAwait(false);
            var history = await connection.Registry.GetAliasHistoryAsync(
                parse.GetValue(name)!, parse.GetValue(alias), cancellationToken).ConfigureAwait(false);
            var view = new AliasHistoryView(parse.GetValue(name)!, history.Select(ViewMapper.ToView).ToList());
            context.WriteResult(view, CliJsonContext.Default.AliasHistoryView, Tables.RenderAliasHistory);
            return ExitCodes.Success;
        });
        return command;
    }
}

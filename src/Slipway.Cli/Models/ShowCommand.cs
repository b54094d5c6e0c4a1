using System.CommandLine;
using Slipway.Cli.CommandLine;
using Slipway.Cli.Output;

namespace Slipway.Cli.Models;

/// <summary><c>slipway models show NAME</c>: one model with its aliases, tags and newest version.</summary>
public static class ShowCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "Registered model name" };
        var command = new Command("show", "Show a registered model") { name };
        CommandRunner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            await using var connection = await context.OpenRegistryAsync(cancellationToken).ConfigureAwait(false);
            var model = await connection.Registry.GetRegisteredModelAsync(parse.GetValue(name)!, cancellationToken).ConfigureAwait(false);
            context.WriteResult(ViewMapper.ToView(model), CliJsonContext.Default.ModelView, Tables.RenderModel);
            return ExitCodes.Success;
        });
        return command;
    }
}

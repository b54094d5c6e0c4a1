using System.CommandLine;
using System.Globalization;
using Slipway.Cli.CommandLine;
using Slipway.Cli.Output;

namespace Slipway.Cli.Aliases;

/// <summary><c>slipway alias set NAME ALIAS VERSION [--reason TEXT]</c>: points an alias at a version.</summary>
public static class AliasSetCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "Registered model name" };
        var alias = new Argument<string>("ALIAS") { Description = "Alias, e.g. champion" };
        var version = new Argument<string>("VERSION") { Description = "Version number" };
        var reason = new Option<string?>("--reason") { HelpName = "text", Description = "Why, recorded in the alias history" };
        var command = new Command("set", "Point an alias at a version") { name, alias, version, reason };
        CommandRunner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            var text = parse.GetValue(version)!;
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
            {
                throw new CliException($"version '{text}' is not a positive whole number.");
            }

            await using var connection = await context.OpenRegistryAsync(cancellationToken).ConfigureAwait(false);
            await connection.Registry.SetAliasAsync(
                parse.GetValue(name)!, parse.GetValue(alias)!, number, parse.GetValue(reason), cancellationToken).ConfigureAwait(false);
            var view = new AliasView(parse.GetValue(name)!, parse.GetValue(alias)!, number, parse.GetValue(reason) ?? string.Empty);
            context.WriteResult(view, CliJsonContext.Default.AliasView, Tables.RenderAlias);
            return ExitCodes.Success;
        });
        return command;
    }
}

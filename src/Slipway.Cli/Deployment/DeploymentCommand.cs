using System.CommandLine;
using Slipway.Cli.CommandLine;
using Slipway.Core.Deployment;

namespace Slipway.Cli.Deployment;

/// <summary><c>slipway deployment show|promote|stop NAME --alias ALIAS</c>: an alias's canary or shadow and its promotion records.</summary>
public static class DeploymentCommand
{
    /// <summary>Builds the command group.</summary>
    public static Command Create()
    {
        var command = new Command("deployment", "Canary and shadow splits of an alias, and its promotion records");
        command.Subcommands.Add(CreateShow());
        command.Subcommands.Add(CreateConclude("promote", "Promote the running canary or shadow now", promote: true));
        command.Subcommands.Add(CreateConclude("stop", "Stop the running canary or shadow; the alias stays where it is", promote: false));
        return command;
    }

    private static Command CreateShow()
    {
        var name = new Argument<string>("NAME") { Description = "Registered model name" };
        var alias = new Option<string>("--alias") { HelpName = "alias", Description = "The alias", Required = true };
        var max = new Option<int>("--max-results") { HelpName = "n", Description = "Promotion records to show", DefaultValueFactory = _ => 20 };
        var command = new Command("show", "Show the alias's split and its latest promotion records") { name, alias, max };
        CommandRunner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            await using var connection = await context.OpenRegistryAsync(cancellationToken).ConfigureAwait(false);
            var state = await connection.Deployments.GetDeploymentAsync(parse.GetValue(name)!, parse.GetValue(alias)!, cancellationToken).ConfigureAwait(false);
            var records = await connection.Deployments.GetPromotionsAsync(parse.GetValue(name)!, parse.GetValue(alias), parse.GetValue(max), cancellationToken).ConfigureAwait(false);
            DeploymentOutput.WriteDeployment(context, parse.GetValue(name)!, parse.GetValue(alias)!, state, records);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateConclude(string verb, string description, bool promote)
    {
        var name = new Argument<string>("NAME") { Description = "Registered model name" };
        var alias = new Option<string>("--alias") { HelpName = "alias", Description = "The alias", Required = true };
        var reason = new Option<string?>("--reason") { HelpName = "text", Description = "Why, recorded" };
        var command = new Command(verb, description) { name, alias, reason };
        CommandRunner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            await using var connection = await context.OpenRegistryAsync(cancellationToken).ConfigureAwait(false);
            var state = await connection.Deployments.GetDeploymentAsync(parse.GetValue(name)!, parse.GetValue(alias)!, cancellationToken).ConfigureAwait(false)
                ?? throw new CliException($"'{parse.GetValue(alias)}' of {parse.GetValue(name)} has no canary or shadow running.");
            var record = await connection.Deployments.ConcludeSplitAsync(
                new SplitConclusion(state.Name, state.Alias, state.PromotionId, promote, parse.GetValue(reason) ?? $"{verb} by hand"),
                cancellationToken).ConfigureAwait(false);
            DeploymentOutput.WriteRecord(context, record);
            return ExitCodes.Success;
        });
        return command;
    }
}

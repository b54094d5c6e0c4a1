using System.CommandLine;
using Slipway.Cli.CommandLine;

namespace Slipway.Cli.Deployment;

/// <summary><c>slipway policy set|show|history</c>: the versioned gate policies of a model's aliases.</summary>
public static class PolicyCommand
{
    /// <summary>Builds the command group.</summary>
    public static Command Create()
    {
        var command = new Command("policy", "Gate policies (YAML) that guard promotions to an alias; versioned");
        command.Subcommands.Add(CreateSet());
        command.Subcommands.Add(CreateShow());
        command.Subcommands.Add(CreateHistory());
        return command;
    }

    private static Command CreateSet()
    {
        var name = new Argument<string>("NAME") { Description = "Registered model name" };
        var alias = new Argument<string>("ALIAS") { Description = "The alias the policy guards, e.g. champion" };
        var file = new Argument<string>("FILE") { Description = "The policy, a YAML file" };
        var command = new Command("set", "Store a new revision of an alias's gate policy") { name, alias, file };
        CommandRunner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new CliException($"policy file '{path}' does not exist.");
            }

            var document = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            await using var connection = await context.OpenRegistryAsync(cancellationToken).ConfigureAwait(false);
            var revision = await connection.Deployments.SetPolicyAsync(parse.GetValue(name)!, parse.GetValue(alias)!, document, cancellationToken).ConfigureAwait(false);
            DeploymentOutput.WritePolicies(context, [revision], withDocument: false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateShow()
    {
        var name = new Argument<string>("NAME") { Description = "Registered model name" };
        var alias = new Argument<string>("ALIAS") { Description = "The alias" };
        var revision = new Option<string?>("--revision") { HelpName = "n", Description = "A given revision (default: the newest)" };
        var command = new Command("show", "Show an alias's gate policy") { name, alias, revision };
        CommandRunner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            var number = parse.GetValue(revision) is { } text ? DeploymentOutput.ParseVersion(text, "--revision") : (long?)null;
            await using var connection = await context.OpenRegistryAsync(cancellationToken).ConfigureAwait(false);
            var policy = await connection.Deployments.GetPolicyAsync(parse.GetValue(name)!, parse.GetValue(alias)!, number, cancellationToken).ConfigureAwait(false);
            DeploymentOutput.WritePolicies(context, [policy], withDocument: true);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateHistory()
    {
        var name = new Argument<string>("NAME") { Description = "Registered model name" };
        var alias = new Option<string?>("--alias") { HelpName = "alias", Description = "Only this alias (default: all)" };
        var command = new Command("history", "List every revision of a model's gate policies") { name, alias };
        CommandRunner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            await using var connection = await context.OpenRegistryAsync(cancellationToken).ConfigureAwait(false);
            var policies = await connection.Deployments.GetPolicyHistoryAsync(parse.GetValue(name)!, parse.GetValue(alias), cancellationToken).ConfigureAwait(false);
            DeploymentOutput.WritePolicies(context, policies, withDocument: false);
            return ExitCodes.Success;
        });
        return command;
    }
}

using System.CommandLine;
using Slipway.Cli.CommandLine;
using Slipway.Core.Deployment;

namespace Slipway.Cli.Deployment;

/// <summary>
/// <c>slipway rollback NAME --alias ALIAS [--to VERSION] [--force]</c>: moves the alias back to its previous version
/// after checking that version's input contract against the current signature and recent inputs; exit 4 listing the
/// incompatibilities unless forced.
/// </summary>
public static class RollbackCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "Registered model name" };
        var alias = new Option<string>("--alias") { HelpName = "alias", Description = "The alias to roll back, e.g. champion", Required = true };
        var to = new Option<string?>("--to") { HelpName = "version", Description = "The version to go back to (default: the alias's previous one)" };
        var force = new Option<bool>("--force") { Description = "Roll back even when the input contract check finds problems (recorded)" };
        var reason = new Option<string?>("--reason") { HelpName = "text", Description = "Why, recorded with the rollback" };
        var command = new Command("rollback", "Move an alias back to an earlier version after checking it accepts today's inputs")
        {
            name, alias, to, force, reason,
        };
        CommandRunner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            var target = parse.GetValue(to) is { } text ? DeploymentOutput.ParseVersion(text, "--to") : (long?)null;
            await using var connection = await context.OpenRegistryAsync(cancellationToken).ConfigureAwait(false);
            var record = await connection.Deployments.RollbackAsync(
                new RollbackRequest(parse.GetValue(name)!, parse.GetValue(alias)!, target, parse.GetValue(force), parse.GetValue(reason) ?? string.Empty),
                cancellationToken).ConfigureAwait(false);
            DeploymentOutput.WriteRecord(context, record);
            return record.Outcome == PromotionOutcome.Failed ? throw DeploymentOutput.Refusal(record) : ExitCodes.Success;
        });
        return command;
    }
}

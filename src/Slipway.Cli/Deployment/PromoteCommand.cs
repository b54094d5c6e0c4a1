using System.CommandLine;
using Slipway.Cli.CommandLine;
using Slipway.Core.Deployment;

namespace Slipway.Cli.Deployment;

/// <summary>
/// <c>slipway promote NAME VERSION --alias ALIAS [--canary PCT | --shadow PCT] [--sticky-header H] [--dry-run]</c>:
/// runs the alias's gates and moves it (or starts a canary or shadow); exit 4 listing the failed gates otherwise.
/// </summary>
public static class PromoteCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "Registered model name" };
        var version = new Argument<string>("VERSION") { Description = "The version to promote" };
        var alias = new Option<string>("--alias") { HelpName = "alias", Description = "The alias to move, e.g. champion", Required = true };
        var canary = new Option<string?>("--canary") { HelpName = "percent", Description = "Start a canary answering this share of requests (without a value: the policy's, default 10)", Arity = ArgumentArity.ZeroOrOne };
        var shadow = new Option<string?>("--shadow") { HelpName = "percent", Description = "Start a shadow receiving this share of requests mirrored (without a value: the policy's, default 100)", Arity = ArgumentArity.ZeroOrOne };
        var sticky = new Option<string?>("--sticky-header") { HelpName = "header", Description = "Keep callers with the same value of this header on one variant" };
        var reason = new Option<string?>("--reason") { HelpName = "text", Description = "Why, recorded with the promotion" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Run the gates and record the attempt; move nothing" };
        var command = new Command("promote", "Run the alias's gates on a version and move the alias (or start a canary or shadow)")
        {
            name, version, alias, canary, shadow, sticky, reason, dryRun,
        };
        CommandRunner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            var number = DeploymentOutput.ParseVersion(parse.GetValue(version)!, "version");
            var canaryText = parse.GetValue(canary);
            var shadowText = parse.GetValue(shadow);
            var useCanary = parse.GetResult(canary) is not null;
            var useShadow = parse.GetResult(shadow) is not null;
            if (useCanary && useShadow)
            {
                throw new CliException("--canary and --shadow cannot be combined: a promotion runs one or the other.");
            }

            var mode = useCanary ? PromotionMode.Canary : useShadow ? PromotionMode.Shadow : PromotionMode.Direct;
            if (mode == PromotionMode.Direct && parse.GetValue(sticky) is not null)
            {
                throw new CliException("--sticky-header applies only with --canary.");
            }

            var share = canaryText is not null ? DeploymentOutput.ParsePercent(canaryText, "--canary")
                : shadowText is not null ? DeploymentOutput.ParsePercent(shadowText, "--shadow")
                : (double?)null;
            await using var connection = await context.OpenRegistryAsync(cancellationToken).ConfigureAwait(false);
            context.Note($"running the gates of '{Spectre.Console.Markup.Escape(parse.GetValue(alias)!)}' on version {number}...");
            var record = await connection.Deployments.PromoteAsync(
                new PromotionRequest(
                    parse.GetValue(name)!,
                    number,
                    parse.GetValue(alias)!,
                    parse.GetValue(reason) ?? string.Empty,
                    mode,
                    share,
                    parse.GetValue(sticky),
                    parse.GetValue(dryRun)),
                cancellationToken).ConfigureAwait(false);
            DeploymentOutput.WriteRecord(context, record);
            return record.FailedGates.Any() ? throw DeploymentOutput.Refusal(record) : ExitCodes.Success;
        });
        return command;
    }
}

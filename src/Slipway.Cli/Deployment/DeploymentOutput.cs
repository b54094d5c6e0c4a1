using System.Globalization;
using Slipway.Cli.CommandLine;
using Slipway.Core.Deployment;
using Spectre.Console;

namespace Slipway.Cli.Deployment;

/// <summary>How promotion records, policies and splits are shown: tables for people, the API's JSON for scripts.</summary>
internal static class DeploymentOutput
{
    /// <summary>Writes one promotion record: each gate (or contract problem) and the outcome.</summary>
    public static void WriteRecord(CliContext context, PromotionRecord record)
    {
        if (context.Format == Output.OutputFormat.Json)
        {
            Console.Out.WriteLine(DeploymentJson.Write(json => DeploymentJson.WritePromotion(json, record)));
            return;
        }

        var console = context.Out;
        if (record.Gates.Count > 0)
        {
            var gates = new Table().AddColumns("Gate", "Check", "Result", "Detail");
            foreach (var gate in record.Gates)
            {
                gates.AddRow(
                    Markup.Escape(gate.Gate),
                    Markup.Escape(gate.Name),
                    gate.Outcome switch
                    {
                        GateOutcome.Passed => "[green]passed[/]",
                        GateOutcome.Failed => "[red]FAILED[/]",
                        _ => "[grey]skipped[/]",
                    },
                    Markup.Escape(gate.Detail));
            }

            console.Write(gates);
        }

        if (record.Problems.Count > 0)
        {
            var problems = new Table().AddColumns("Input", "Problem");
            foreach (var problem in record.Problems)
            {
                problems.AddRow(Markup.Escape(problem.Input), Markup.Escape(problem.ToString()));
            }

            console.Write(problems);
        }

        console.MarkupLine(Markup.Escape(Summary(record)));
    }

    /// <summary>One line: what happened to the alias.</summary>
    public static string Summary(PromotionRecord record)
    {
        var from = record.FromVersion?.ToString(CultureInfo.InvariantCulture) ?? "none";
        var id = record.Id.ToString(CultureInfo.InvariantCulture);
        return (record.Kind, record.Outcome) switch
        {
            (_, PromotionOutcome.DryRun) => $"dry run #{id}: version {record.ToVersion} {(record.FailedGates.Any() ? "would fail" : "would pass")} the gates of '{record.Alias}'; nothing moved.",
            (PromotionKind.Promote, PromotionOutcome.Passed) => $"promotion #{id}: '{record.Alias}' of {record.Name} moved from {from} to {record.ToVersion}.",
            (PromotionKind.Promote, PromotionOutcome.CanaryStarted) => $"promotion #{id}: gates passed; version {record.ToVersion} now runs beside {from} on '{record.Alias}' (see 'slipway deployment show').",
            (PromotionKind.Promote, PromotionOutcome.Failed) => $"promotion #{id}: '{record.Alias}' of {record.Name} stays on {from}.",
            (PromotionKind.Rollback, PromotionOutcome.Failed) => $"rollback #{id}: refused; '{record.Alias}' of {record.Name} stays on {from}.",
            (PromotionKind.Rollback, PromotionOutcome.Forced) => $"rollback #{id}: FORCED past {record.Problems.Count} contract problem(s); '{record.Alias}' of {record.Name} moved from {from} to {record.ToVersion}.",
            (PromotionKind.Rollback, _) => $"rollback #{id}: input contract checked; '{record.Alias}' of {record.Name} moved from {from} to {record.ToVersion}.",
            (PromotionKind.CanaryPromote, _) => $"#{id}: version {record.ToVersion} promoted from its canary; '{record.Alias}' moved from {from}.",
            _ => $"#{id}: the split of version {record.ToVersion} stopped; '{record.Alias}' stays on {from}.",
        };
    }

    /// <summary>The error line of a refused attempt: every failed gate or problem, in one line.</summary>
    public static CliException Refusal(PromotionRecord record)
    {
        var what = record.Kind == PromotionKind.Rollback
            ? $"rollback of '{record.Alias}' of {record.Name} to version {record.ToVersion} refused: "
              + string.Join("; ", record.Problems.Select(p => p.ToString()))
              + " (give --force to roll back anyway)"
            : $"promotion of {record.Name} version {record.ToVersion} to '{record.Alias}' failed {record.FailedGates.Count()} gate(s): "
              + string.Join("; ", record.FailedGates.Select(g => $"{g.Gate} {g.Name}: {g.Detail}"));
        return new CliException(what) { ExitCode = ExitCodes.Refused };
    }

    /// <summary>Writes policy revisions.</summary>
    public static void WritePolicies(CliContext context, IReadOnlyList<GatePolicyRevision> revisions, bool withDocument)
    {
        if (context.Format == Output.OutputFormat.Json)
        {
            Console.Out.WriteLine(DeploymentJson.Write(json =>
            {
                json.WriteStartObject();
                json.WriteStartArray("policies");
                foreach (var revision in revisions)
                {
                    DeploymentJson.WritePolicyRevision(json, revision);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }));
            return;
        }

        var table = new Table().AddColumns("Alias", "Revision", "Protected", "Set by", "When");
        foreach (var revision in revisions)
        {
            table.AddRow(
                Markup.Escape(revision.Alias),
                revision.Revision.ToString(CultureInfo.InvariantCulture),
                revision.Protected ? "yes" : "no",
                Markup.Escape(revision.UserId),
                Output.ViewMapper.FormatTimestamp(revision.CreatedAt));
        }

        context.Out.Write(table);
        if (withDocument && revisions.Count == 1)
        {
            context.Out.WriteLine(revisions[0].Document);
        }
    }

    /// <summary>Writes an alias's split and its recent records.</summary>
    public static void WriteDeployment(CliContext context, string name, string alias, DeploymentState? state, IReadOnlyList<PromotionRecord> records)
    {
        if (context.Format == Output.OutputFormat.Json)
        {
            Console.Out.WriteLine(DeploymentJson.Write(json =>
            {
                json.WriteStartObject();
                json.WritePropertyName("deployment");
                if (state is null)
                {
                    json.WriteNullValue();
                }
                else
                {
                    DeploymentJson.WriteDeployment(json, state);
                }

                json.WriteStartArray("promotions");
                foreach (var record in records)
                {
                    DeploymentJson.WritePromotion(json, record);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }));
            return;
        }

        var console = context.Out;
        console.MarkupLine(Markup.Escape(state switch
        {
            null => $"'{alias}' of {name} serves one version (no canary or shadow).",
            { CanaryVersion: { } canary } => string.Create(CultureInfo.InvariantCulture, $"'{alias}' of {name}: canary version {canary} answers {state.CanaryWeight:P0} of requests{(state.StickyKey.Length > 0 ? $" (sticky by {state.StickyKey})" : string.Empty)}; promotion #{state.PromotionId}, judged over {state.Policy.WindowSeconds:0} s and at least {state.Policy.MinRequests} requests."),
            _ => string.Create(CultureInfo.InvariantCulture, $"'{alias}' of {name}: shadow version {state.ShadowVersion} receives {state.ShadowShare:P0} of requests mirrored; promotion #{state.PromotionId}."),
        }));
        var table = new Table().AddColumns("#", "When", "Kind", "From", "To", "Outcome", "User", "Reason");
        foreach (var record in records)
        {
            table.AddRow(
                record.Id.ToString(CultureInfo.InvariantCulture),
                Output.ViewMapper.FormatTimestamp(record.CreatedAt),
                DeploymentEvents.Snake(record.Kind.ToString()),
                record.FromVersion?.ToString(CultureInfo.InvariantCulture) ?? "-",
                record.ToVersion.ToString(CultureInfo.InvariantCulture),
                DeploymentEvents.Snake(record.Outcome.ToString()),
                Markup.Escape(record.UserId),
                Markup.Escape(record.Reason));
        }

        console.Write(table);
    }

    /// <summary>Parses a positive version number argument.</summary>
    public static long ParseVersion(string text, string what) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1
            ? number
            : throw new CliException($"{what} '{text}' is not a positive whole number.");

    /// <summary>Parses a percentage (<c>10</c> or <c>10%</c>) into a share above 0 and at most 1.</summary>
    public static double ParsePercent(string text, string option)
    {
        var trimmed = text.Trim().TrimEnd('%');
        return double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) && percent > 0 && percent <= 100
            ? percent / 100
            : throw new CliException($"{option} '{text}' must be a percentage above 0 and at most 100.");
    }
}

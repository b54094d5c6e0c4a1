using System.CommandLine;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Slipway.Cli.CommandLine;
using Slipway.Core.Registry;

namespace Slipway.Cli.Ci;

/// <summary>
/// <c>slipway ci init --github|--gitlab --model NAME [--alias ALIAS] [--deployment NAME] [--dir DIR] [--force]</c> writes a deployment
/// pipeline; <c>slipway ci event FILE</c> reads a webhook event (MLflow's envelope, or GitHub's dispatch body around it)
/// into shell variables for such a pipeline.
/// </summary>
public static class CiCommand
{
    /// <summary>Builds the command group.</summary>
    public static Command Create()
    {
        var command = new Command("ci", "Deployment pipelines for GitHub Actions and GitLab CI, driven by registry webhooks");
        command.Subcommands.Add(CreateInit());
        command.Subcommands.Add(CreateEvent());
        return command;
    }

    private static Command CreateInit()
    {
        var github = new Option<bool>("--github") { Description = "Write .github/workflows/slipway-deploy.yml (runs on repository_dispatch)" };
        var gitlab = new Option<bool>("--gitlab") { Description = "Write .gitlab-ci.yml (runs on a pipeline trigger)" };
        var model = new Option<string>("--model") { HelpName = "name", Description = "The registered model the pipeline deploys", Required = true };
        var alias = new Option<string>("--alias") { HelpName = "alias", Description = "The alias it promotes", DefaultValueFactory = _ => "champion" };
        var deployment = new Option<string?>("--deployment") { HelpName = "name", Description = "The Kubernetes Deployment it rolls out (default slipway-MODEL-ALIAS, as the Helm chart names it)" };
        var dir = new Option<string>("--dir") { HelpName = "dir", Description = "The repository root", DefaultValueFactory = _ => "." };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing file" };
        var command = new Command("init", "Write a pipeline that validates (gates), builds and pushes the image, rolls it out and promotes")
        {
            github, gitlab, model, alias, deployment, dir, force,
        };
        CommandRunner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            if (parse.GetValue(github) == parse.GetValue(gitlab))
            {
                throw new CliException("give exactly one of --github and --gitlab.");
            }

            var settings = new CiSettings(
                Validated(parse.GetValue(model)!, "--model", v => RegistryValidation.ModelName(v, "--model")),
                Validated(parse.GetValue(alias)!, "--alias", v => RegistryValidation.Alias(v, "--alias")),
                ToolVersion(),
                parse.GetValue(deployment));
            if (!IsKubernetesName(settings.Deployment))
            {
                throw new CliException(settings.DeploymentName is null
                    ? $"'{settings.Deployment}' (the Deployment the pipeline rolls out) is not a Kubernetes name: give --deployment NAME (lower-case letters, digits and '-'), and the same deploymentName to the model's entry in the Helm values."
                    : $"--deployment '{settings.Deployment}' is not a Kubernetes name: use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit.");
            }

            var workflow = parse.GetValue(github) ? GitHubWorkflow.Create(settings) : GitLabPipeline.Create(settings);
            var path = Path.GetFullPath(Path.Combine(parse.GetValue(dir)!, workflow.Path));
            if (File.Exists(path) && !parse.GetValue(force))
            {
                throw new CliException($"'{path}' exists; give --force to overwrite it.");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, workflow.Yaml, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
            if (context.Format == Output.OutputFormat.Json)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, string> { ["path"] = path }, CiJson.Default.DictionaryStringString));
            }
            else
            {
                Console.Out.WriteLine($"wrote {path}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateEvent()
    {
        var file = new Argument<string>("FILE") { Description = "A webhook body: MLflow's {entity, action, timestamp, data}, or GitHub's {event_type, client_payload}" };
        var command = new Command("event", "Print a webhook event as shell variables (SLIPWAY_EVENT, SLIPWAY_EVENT_MODEL, SLIPWAY_EVENT_VERSION, SLIPWAY_EVENT_ALIAS)") { file };
        CommandRunner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new CliException($"event file '{path}' does not exist.");
            }

            var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            foreach (var (key, value) in WebhookEventVariables.Read(text, path))
            {
                Console.Out.WriteLine($"{key}={WebhookEventVariables.Quote(value)}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static string Validated(string value, string option, Func<string, string> validate)
    {
        try
        {
            return validate(value);
        }
        catch (RegistryException e)
        {
            throw new CliException(e.Message.Contains(option, StringComparison.Ordinal) ? e.Message : $"{option}: {e.Message}");
        }
    }

    private static bool IsKubernetesName(string name) =>
        name.Length is > 0 and <= 63
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
        && char.IsAsciiLetterOrDigit(name[0])
        && char.IsAsciiLetterOrDigit(name[^1]);

    private static string ToolVersion()
    {
        var informational = typeof(CiCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.1.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}

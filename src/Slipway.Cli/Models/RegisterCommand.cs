using System.CommandLine;
using Slipway.Cli.CommandLine;
using Slipway.Cli.Output;
using Slipway.Cli.Registration;

namespace Slipway.Cli.Models;

/// <summary><c>slipway models register NAME PATH [...]</c>: packages, uploads and registers a model version.</summary>
public static class RegisterCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "Registered model name (created when missing)" };
        var path = new Argument<string>("PATH") { Description = "A .onnx file, an ML.NET .zip or an MLflow model directory" };
        var metrics = new Option<string[]>("--metric") { HelpName = "name=number", Description = "Evaluation metric name=number (repeatable)" };
        var tags = new Option<string[]>("--tag") { HelpName = "key=value", Description = "Version tag key=value (repeatable)" };
        var runId = new Option<string?>("--run-id") { HelpName = "id", Description = "The run that produced the model" };
        var data = new Option<string[]>("--data") { HelpName = "path", Description = "Training data file or folder, fingerprinted into lineage (repeatable)" };
        var description = new Option<string?>("--description") { HelpName = "text", Description = "Version description" };
        var columns = new Option<string?>("--columns") { HelpName = "a,b,c", Description = "Input column names a,b,c for a model with one tensor input" };
        var inputExample = new Option<string?>("--input-example") { HelpName = "file", Description = "Input example file stored with the model" };
        var referenceData = new Option<string?>("--reference-data") { HelpName = "file", Description = "Reference data for drift, stored with the model" };
        var command = new Command("register", "Package a model, upload it and register a new version")
        {
            name, path, metrics, tags, runId, data, description, columns, inputExample, referenceData,
        };

        CommandRunner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            var request = new RegistrationRequest(
                parse.GetValue(name)!,
                parse.GetValue(path)!,
                KeyValueParser.ParseMetrics(parse.GetValue(metrics)),
                KeyValueParser.ParsePairs(parse.GetValue(tags), "--tag"),
                parse.GetValue(runId) ?? string.Empty,
                parse.GetValue(data) ?? [],
                parse.GetValue(description) ?? string.Empty,
                ParseColumns(parse.GetValue(columns)),
                parse.GetValue(inputExample),
                parse.GetValue(referenceData));
            ModelRegistrar.Validate(request);
            await using var connection = await context.OpenRegistryAsync(cancellationToken).ConfigureAwait(false);
            var version = await new ModelRegistrar(connection.Registry, context, Environment.UserName)
                .RegisterAsync(request, cancellationToken).ConfigureAwait(false);
            context.WriteResult(ViewMapper.ToView(version), CliJsonContext.Default.VersionView, Tables.RenderVersion);
            return ExitCodes.Success;
        });
        return command;
    }

    private static string[]? ParseColumns(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var columns = value.Split(',', StringSplitOptions.TrimEntries);
        return columns.Any(c => c.Length == 0)
            ? throw new CliException($"--columns '{value}' has an empty column name.")
            : columns;
    }
}

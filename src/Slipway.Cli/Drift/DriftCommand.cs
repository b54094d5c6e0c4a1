using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Slipway.Cli.CommandLine;
using Slipway.Cli.Models;
using Slipway.Cli.Output;
using Slipway.Core.Registry;
using Slipway.Core.Statistics.Drift;
using Slipway.Monitoring.Reference;
using Slipway.Monitoring.Reports;

namespace Slipway.Cli.Drift;

/// <summary>
/// <c>slipway drift MODEL_URI --current FILE [--format table|json|html] [--report FILE] [--method NAME] [--threshold X]
/// [--feature-method FEATURE=METHOD[:THRESHOLD]]... [--fail-on-drift]</c>: compares current data with the reference
/// stored with the model version, feature by feature, with Evidently's tests and defaults. Exit code 0 whatever the
/// drift (scripts read <c>dataset_drift</c>), or <see cref="DriftExitCode"/> with <c>--fail-on-drift</c> when the
/// dataset drifted.
/// </summary>
public static class DriftCommand
{
    /// <summary>The exit code of <c>--fail-on-drift</c> when the dataset drifted.</summary>
    public const int DriftExitCode = 3;

    /// <summary>Where <c>--format html</c> writes when <c>--report</c> is not given.</summary>
    public const string DefaultReportFile = "drift-report.html";

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var model = new Argument<string>("model-uri") { Description = "models:/NAME/VERSION or models:/NAME@ALIAS" };
        var current = new Option<string?>("--current") { HelpName = "file", Description = "Current data to compare with the reference: a .csv file with a header row or a .parquet file" };
        var since = new Option<string?>("--since") { HelpName = "duration|timestamp", Description = "Compare the inference log since a duration ago (30m, 6h, 2d) or an ISO 8601 timestamp" };
        var window = new Option<string?>("--window") { HelpName = "1h|1d|7d", Description = "Compare the profiles of the last hour, day or week" };
        var format = new Option<string>("--format") { HelpName = "table|json|html", Description = "Report format", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "html");
        var report = new Option<string?>("--report") { HelpName = "file", Description = $"Where --format html writes the report (default {DefaultReportFile})" };
        var method = new Option<string?>("--method") { HelpName = "name", Description = "One test for every feature: ks, chisquare, z, wasserstein, jensenshannon or psi (default: Evidently's choice per feature)" };
        var threshold = new Option<double?>("--threshold") { HelpName = "x", Description = "Threshold for every feature (default 0.05 for p-values, 0.1 for distances)" };
        var featureMethods = new Option<string[]>("--feature-method") { HelpName = "feature=method[:threshold]", Description = "Test and threshold for one feature (repeatable)" };
        var monitoringDir = new Option<string?>("--monitoring-dir") { HelpName = "dir", Description = "Monitoring directory for --since and --window (default: monitoring/ in the embedded registry)" };
        var failOnDrift = new Option<bool>("--fail-on-drift") { Description = $"Exit with code {DriftExitCode} when the dataset drifted" };
        var command = new Command("drift", "Compare current data with a model version's reference: per-feature drift tests and a report")
        {
            model, current, since, window, format, report, method, threshold, featureMethods, monitoringDir, failOnDrift,
        };

        CommandRunner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            var uri = DownloadCommand.ParseTarget(parse.GetValue(model)!, null);
            var currentFile = parse.GetValue(current);
            var sinceText = parse.GetValue(since);
            var windowText = parse.GetValue(window);
            var sources = (currentFile is null ? 0 : 1) + (sinceText is null ? 0 : 1) + (windowText is null ? 0 : 1);
            if (sources != 1)
            {
                throw new CliException("give exactly one of --current FILE, --since DURATION|TIMESTAMP and --window 1h|1d|7d.");
            }

            if (currentFile is not null && !File.Exists(currentFile))
            {
                throw new CliException($"--current file '{currentFile}' does not exist.");
            }

            // Method and threshold are checked before the registry is opened; feature names once the reference is known.
            _ = DriftOptionsParser.Parse(parse.GetValue(method), parse.GetValue(threshold), [], []);
            var formatValue = parse.GetValue(format)!;
            var json = context.Format == OutputFormat.Json || formatValue == "json";

            await using var connection = await context.OpenRegistryAsync(cancellationToken).ConfigureAwait(false);
            var registry = connection.Registry;
            var version = await registry.ResolveAsync(uri, cancellationToken).ConfigureAwait(false);
            var reference = await ReferenceStore.LoadDataAsync(registry, version.Name, version.Version, cancellationToken).ConfigureAwait(false)
                ?? throw new CliException(string.Create(CultureInfo.InvariantCulture,
                    $"version {version.Version} of '{version.Name}' has no reference data; add one with 'slipway models reference {version.Name} {version.Version} FILE' (or register with --reference-data FILE)."));
            var stored = await ReferenceStore.FindAsync(registry, version.Name, version.Version, cancellationToken).ConfigureAwait(false);
            var options = DriftOptionsParser.Parse(
                parse.GetValue(method), parse.GetValue(threshold), parse.GetValue(featureMethods) ?? [], reference.Select(c => c.Name).ToArray());

            IReadOnlyList<DriftColumn> currentColumns;
            string currentSource;
            if (currentFile is not null)
            {
                var signature = await ReferenceStore.ReadSignatureAsync(registry, version.Name, version.Version, cancellationToken).ConfigureAwait(false);
                currentColumns = await ReadCurrentAsync(currentFile, signature, cancellationToken).ConfigureAwait(false);
                currentSource = Path.GetFileName(currentFile);
            }
            else
            {
                throw new CliException(sinceText is not null
                    ? "--since needs the inference log reader, which this build does not have yet; use --current FILE."
                    : "--window needs profile snapshots, which this build does not read yet; use --current FILE.");
            }

            var aligned = Align(reference, currentColumns, currentSource);
            var result = DriftDetector.Detect(reference, aligned, options, cancellationToken);
            var reportContext = new DriftReportContext
            {
                Model = version.Name,
                Version = version.Version,
                ReferenceSource = stored?.Source is { Length: > 0 } s ? s : "registry",
                CurrentSource = currentSource,
                GeneratedAt = context.Time.GetUtcNow(),
            };

            if (formatValue == "html")
            {
                var path = Path.GetFullPath(parse.GetValue(report) ?? DefaultReportFile);
                await WriteHtmlAsync(path, result, reportContext, cancellationToken).ConfigureAwait(false);
                if (json)
                {
                    WriteJson(result, reportContext);
                }
                else
                {
                    Console.Out.WriteLine(path);
                }
            }
            else if (json)
            {
                WriteJson(result, reportContext);
            }
            else
            {
                DriftTable.Render(context.Out, result, reportContext);
            }

            if (parse.GetValue(failOnDrift) && result.DatasetDrift)
            {
                // The report went to standard output; the gate's reason is the one line on standard error.
                await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"error: dataset drift: {result.DriftedFeatures} of {result.Features.Count} features drifted (--fail-on-drift).")).ConfigureAwait(false);
                return DriftExitCode;
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<IReadOnlyList<DriftColumn>> ReadCurrentAsync(string path, Core.Signatures.ModelSignature? signature, CancellationToken cancellationToken)
    {
        try
        {
            return await ReferenceDataReader.ReadAsync(path, signature, cancellationToken).ConfigureAwait(false);
        }
        catch (ReferenceDataException e)
        {
            throw new CliException("--current: " + e.Message);
        }
    }

    // The current columns in the reference's order and kinds: the tests pair columns by position.
    private static List<DriftColumn> Align(IReadOnlyList<DriftColumn> reference, IReadOnlyList<DriftColumn> current, string source)
    {
        var aligned = new List<DriftColumn>(reference.Count);
        foreach (var column in reference)
        {
            var match = current.FirstOrDefault(c => c.Name == column.Name)
                ?? throw new CliException($"--current '{source}' has no column '{column.Name}', which the reference has.");
            if (match.Kind != column.Kind)
            {
                throw new CliException($"--current '{source}': column '{column.Name}' holds {DriftReportJson.KindName(match.Kind)} values, the reference {DriftReportJson.KindName(column.Kind)} ones.");
            }

            aligned.Add(match);
        }

        return aligned;
    }

    private static void WriteJson(DriftReport report, DriftReportContext context)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            DriftReportJson.Write(writer, report, context);
        }

        Console.Out.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static async Task WriteHtmlAsync(string path, DriftReport report, DriftReportContext context, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
        {
            throw new CliException($"--report: folder '{directory}' does not exist.");
        }

        var text = new StringWriter(CultureInfo.InvariantCulture);
        DriftReportHtml.Write(text, report, context);
        await File.WriteAllTextAsync(path, text.ToString(), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
    }
}

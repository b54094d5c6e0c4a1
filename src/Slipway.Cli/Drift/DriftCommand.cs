using System.CommandLine;
using System.Globalization;
using System.Text;
using Slipway.Cli.CommandLine;
using Slipway.Cli.Models;
using Slipway.Cli.Output;
using Slipway.Core.Registry;
using Slipway.Core.Statistics.Drift;
using Slipway.Core.Statistics.Profiles;
using Slipway.Monitoring.InferenceLog;
using Slipway.Monitoring.Snapshots;
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
            var stored = ReferenceStore.Find(version)
                ?? throw new CliException(string.Create(CultureInfo.InvariantCulture,
                    $"version {version.Version} of '{version.Name}' has no reference data; add one with 'slipway models reference {version.Name} {version.Version} FILE' (or register with --reference-data FILE)."));
            var reference = await ReferenceStore.LoadDataAsync(registry, stored, cancellationToken).ConfigureAwait(false);
            var options = DriftOptionsParser.Parse(
                parse.GetValue(method), parse.GetValue(threshold), parse.GetValue(featureMethods) ?? [], reference.Select(c => c.Name).ToArray());

            var now = context.Time.GetUtcNow();
            DriftReport result;
            string currentSource;
            if (currentFile is not null)
            {
                var signature = await ReferenceStore.ReadSignatureAsync(registry, version.Name, version.Version, cancellationToken).ConfigureAwait(false);
                currentSource = Path.GetFileName(currentFile);
                var currentColumns = await ReadCurrentAsync(currentFile, signature, cancellationToken).ConfigureAwait(false);
                result = DriftDetector.Detect(reference, Align(reference, currentColumns, $"--current '{currentSource}'"), options, cancellationToken);
            }
            else if (sinceText is not null)
            {
                var directory = MonitoringDirectory(context, parse.GetValue(monitoringDir));
                var from = ParseSince(sinceText, now);
                var currentColumns = await InferenceLogReader.ReadAsync(
                    directory, version.Name, from, now, version.Version.ToString(CultureInfo.InvariantCulture), cancellationToken: cancellationToken).ConfigureAwait(false);
                currentSource = "inference log since " + from.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                if (currentColumns.Count == 0 || currentColumns[0].Length == 0)
                {
                    throw new CliException(string.Create(CultureInfo.InvariantCulture,
                        $"no requests to version {version.Version} of '{version.Name}' were logged since {from:yyyy-MM-dd'T'HH:mm:ss'Z'} in '{directory}' (a running server writes its open file when the hour ends or it stops)."));
                }

                result = DriftDetector.Detect(reference, Align(reference, currentColumns, $"--current '{currentSource}'"), options, cancellationToken);
            }
            else
            {
                var directory = MonitoringDirectory(context, parse.GetValue(monitoringDir));
                currentSource = "profile snapshots";
                result = await WindowDriftAsync(directory, version, reference, ParseWindow(windowText!), now, options, cancellationToken).ConfigureAwait(false);
            }

            var reportContext = new DriftReportContext
            {
                Model = version.Name,
                Version = version.Version,
                ReferenceSource = stored.Source is { Length: > 0 } source ? source : "registry",
                CurrentSource = currentSource,
                Window = windowText,
                GeneratedAt = now,
            };
            return await ReportAsync(context, formatValue, parse.GetValue(report), parse.GetValue(failOnDrift), result, reportContext, json, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> ReportAsync(
        CliContext context, string formatValue, string? reportFile, bool failOnDrift, DriftReport result, DriftReportContext reportContext, bool json, CancellationToken cancellationToken)
    {
        if (formatValue == "html")
        {
            var path = Path.GetFullPath(reportFile ?? DefaultReportFile);
            await WriteHtmlAsync(path, result, reportContext, cancellationToken).ConfigureAwait(false);
            if (json)
            {
                Console.Out.WriteLine(DriftReportJson.ToJson(result, reportContext));
            }
            else
            {
                Console.Out.WriteLine(path);
            }
        }
        else if (json)
        {
            Console.Out.WriteLine(DriftReportJson.ToJson(result, reportContext));
        }
        else
        {
            DriftTable.Render(context.Out, result, reportContext);
        }

        if (failOnDrift && result.DatasetDrift)
        {
            // The report went to standard output; the gate's reason is the one line on standard error.
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"error: dataset drift: {result.DriftedFeatures} of {result.Features.Count} features drifted (--fail-on-drift).")).ConfigureAwait(false);
            return DriftExitCode;
        }

        return ExitCodes.Success;
    }

    // The serving node's default: monitoring/ inside an embedded registry; a remote registry has no such place.
    private static string MonitoringDirectory(CliContext context, string? option)
    {
        if (option is not null)
        {
            return Path.GetFullPath(option);
        }

        return context.ResolveRegistry().Directory is { } local
            ? Path.Combine(Path.GetFullPath(local), "monitoring")
            : throw new CliException("--monitoring-dir is required with a remote registry: give the folder the serving node writes its inference log to.");
    }

    /// <summary>Parses <c>--since</c>: a duration back from now (<c>30m</c>, <c>6h</c>, <c>2d</c>) or an ISO 8601 timestamp.</summary>
    internal static DateTimeOffset ParseSince(string text, DateTimeOffset now)
    {
        if (text.Length >= 2 && char.IsAsciiDigit(text[0])
            && long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            TimeSpan? span = text[^1] switch
            {
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (span is { } value)
            {
                return now - value;
            }
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            return at <= now ? at : throw new CliException($"--since '{text}' lies in the future.");
        }

        throw new CliException($"--since '{text}' is neither a duration (30m, 6h, 2d) nor an ISO 8601 timestamp.");
    }

    /// <summary>Parses <c>--window</c>: <c>1h</c>, <c>1d</c> or <c>7d</c>.</summary>
    internal static TimeSpan ParseWindow(string text) => text switch
    {
        "1h" => TimeSpan.FromHours(1),
        "1d" => TimeSpan.FromDays(1),
        "7d" => TimeSpan.FromDays(7),
        _ => throw new CliException($"--window '{text}' is not one of 1h, 1d, 7d."),
    };

    // The window's hourly profile snapshots merged, against the reference's profile: no raw data is read. An hour
    // still open appears as the partial snapshot its server last wrote.
    private static async Task<DriftReport> WindowDriftAsync(
        string directory, ModelVersion version, IReadOnlyList<DriftColumn> reference, TimeSpan window, DateTimeOffset now, DriftOptions options, CancellationToken cancellationToken)
    {
        var hourStart = new DateTimeOffset(now.UtcDateTime.Date.AddHours(now.UtcDateTime.Hour), TimeSpan.Zero);
        var from = hourStart.AddHours(1 - Math.Max(1, (int)Math.Ceiling(window.TotalHours)));
        var snapshots = await ProfileSnapshotReader.ReadHoursAsync(
            directory, version.Name, version.Version.ToString(CultureInfo.InvariantCulture), from, hourStart.AddHours(1), cancellationToken).ConfigureAwait(false);
        var current = DatasetProfile.Merge(snapshots.Select(s => s.Profile))
            ?? throw new CliException(string.Create(CultureInfo.InvariantCulture,
                $"no profile snapshots of version {version.Version} of '{version.Name}' since {from:yyyy-MM-dd'T'HH:mm'Z'} in '{directory}'."));
        try
        {
            return ProfileDrift.Compare(ReferenceProfile.Build(reference), current, options);
        }
        catch (ArgumentException e)
        {
            throw new CliException("--window: " + e.Message);
        }
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

    /// <summary>
    /// The current columns in the reference's order, matched by name and checked for kind; <paramref name="what"/> names
    /// the current data in the error (e.g. <c>--current 'today.csv'</c>).
    /// </summary>
    internal static List<DriftColumn> Align(IReadOnlyList<DriftColumn> reference, IReadOnlyList<DriftColumn> current, string what)
    {
        var aligned = new List<DriftColumn>(reference.Count);
        foreach (var column in reference)
        {
            var match = current.FirstOrDefault(c => c.Name == column.Name)
                ?? throw new CliException($"{what} has no column '{column.Name}', which the reference has.");
            if (match.Kind != column.Kind)
            {
                throw new CliException($"{what}: column '{column.Name}' holds {DriftReportJson.KindName(match.Kind)} values, the reference {DriftReportJson.KindName(column.Kind)} ones.");
            }

            aligned.Add(match);
        }

        return aligned;
    }

    private static async Task WriteHtmlAsync(string path, DriftReport report, DriftReportContext context, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
        {
            throw new CliException($"--report: folder '{directory}' does not exist.");
        }

        await File.WriteAllTextAsync(path, DriftReportHtml.ToHtml(report, context), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Slipway.Cli.CommandLine;
using Slipway.Cli.Models;
using Slipway.Cli.Output;
using Slipway.Core.Registry;
using Slipway.Serving.Batch;
using Slipway.Serving.Hosting;
using Slipway.Serving.Runtimes;
using Spectre.Console;

namespace Slipway.Cli.Predict;

/// <summary>
/// <c>slipway predict MODEL_URI --input FILE.csv|.parquet --output FILE.parquet|.csv</c>: batch scoring. The file is read
/// in chunks, scored on every core and written in input order, so memory stays flat on files of any length.
/// </summary>
public static class PredictCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var model = new Argument<string>("model-uri") { Description = "models:/NAME/VERSION or models:/NAME@ALIAS" };
        var input = new Option<string>("--input") { HelpName = "file", Description = "Rows to score: a .csv file with a header row or a .parquet file", Required = true };
        var output = new Option<string[]>("--output")
        {
            HelpName = "file",
            Description = "Where to write the predictions: .parquet or .csv (replaced if it exists); add --output json for a JSON result",
            Required = true,
            Arity = new ArgumentArity(1, 2),
            AllowMultipleArgumentsPerToken = false,
        };
        var chunkRows = new Option<int>("--chunk-rows") { HelpName = "n", Description = "Rows per chunk read from a CSV file", DefaultValueFactory = _ => new BatchScoringOptions().ChunkRows };
        // No default value object: it would print this machine's core count into the help.
        var workers = new Option<int?>("--workers") { HelpName = "n", Description = "Chunks scored at once (default: the number of cores)" };
        var command = new Command("predict", "Score a CSV or Parquet file with a registered model") { model, input, output, chunkRows, workers };
        CommandRunner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            var uri = DownloadCommand.ParseTarget(parse.GetValue(model)!, null);
            var inputPath = Path.GetFullPath(parse.GetValue(input)!);
            var outputPath = Path.GetFullPath(OutputFile(parse.GetValue(output)!));
            var options = new BatchScoringOptions { ChunkRows = parse.GetValue(chunkRows), Workers = parse.GetValue(workers) ?? Environment.ProcessorCount };
            if (options.ChunkRows < 1 || options.Workers < 1)
            {
                throw new CliException("--chunk-rows and --workers must be at least 1.");
            }

            if (!File.Exists(inputPath))
            {
                throw new CliException($"input file '{inputPath}' does not exist.");
            }

            var started = Stopwatch.StartNew();
            await using var connection = await context.OpenRegistryAsync(cancellationToken).ConfigureAwait(false);
            var version = await connection.Registry.ResolveAsync(uri, cancellationToken).ConfigureAwait(false);
            var cache = new ModelPackageCache(Path.Combine(Path.GetTempPath(), "slipway-models"));
            var directory = await cache.GetAsync(connection.Registry, version, cancellationToken).ConfigureAwait(false);
            using var runtime = ModelRuntimes.Load(directory, version.Name, version.Version.ToString(CultureInfo.InvariantCulture), new RuntimeOptions());
            var scoring = Stopwatch.StartNew();
            BatchScoringResult result;
            try
            {
                result = await RunWithProgressAsync(context, progress =>
                    BatchScorer.ScoreAsync(runtime, inputPath, outputPath, options, progress, cancellationToken)).ConfigureAwait(false);
            }
            catch (BatchScoringException e)
            {
                throw new CliException(e.Message);
            }

            var seconds = scoring.Elapsed.TotalSeconds;
            var view = new PredictView(version.Name, version.Version, inputPath, outputPath, result.Rows, started.Elapsed.TotalSeconds, seconds > 0 ? result.Rows / seconds : 0);
            context.WriteResult(view, CliJsonContext.Default.PredictView, Render);
            return ExitCodes.Success;
        });
        return command;
    }

    // The one --output value that is not a result format (json or table) is the predictions file.
    private static string OutputFile(string[] values)
    {
        var files = values.Where(v => !v.Equals("json", StringComparison.OrdinalIgnoreCase) && !v.Equals("table", StringComparison.OrdinalIgnoreCase)).ToArray();
        return files.Length == 1
            ? files[0]
            : throw new CliException($"give one predictions file with --output (got {(files.Length == 0 ? "none" : string.Join(", ", files))}).");
    }

    private static void Render(IAnsiConsole console, PredictView view) =>
        console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{view.Name} version {view.Version} scored {view.Rows:N0} rows of {view.Input} -> {view.Output} in {view.Seconds:F1} s ({view.RowsPerSecond:N0} rows/s)"));

    private static async Task<BatchScoringResult> RunWithProgressAsync(CliContext context, Func<IProgress<BatchProgress>?, Task<BatchScoringResult>> work)
    {
        if (!context.ShowProgress)
        {
            return await work(null).ConfigureAwait(false);
        }

        return await context.Error.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("scoring", maxValue: 1);
                var result = await work(new Sink(task)).ConfigureAwait(false);
                task.Value = task.MaxValue;
                return result;
            }).ConfigureAwait(false);
    }

    // Synchronous on purpose: Progress<T> would post to the thread pool and could report after the bar finished.
    private sealed class Sink(ProgressTask task) : IProgress<BatchProgress>
    {
        public void Report(BatchProgress value)
        {
            task.Value = value.Fraction;
            task.Description = string.Create(CultureInfo.InvariantCulture, $"scoring ({value.Rows:N0} rows)");
        }
    }
}

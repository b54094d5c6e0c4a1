using Slipway.Cli.CommandLine;
using Spectre.Console;

namespace Slipway.Cli.Transfer;

/// <summary>Shows a byte-counting progress bar on standard error while work runs (only when it is a terminal).</summary>
public static class TransferProgress
{
    /// <summary>
    /// Runs <paramref name="work"/>, giving it a sink for byte counts (deltas). Draws a bar of
    /// <paramref name="totalBytes"/> bytes titled <paramref name="description"/> when the context shows progress.
    /// </summary>
    public static async Task<T> RunAsync<T>(CliContext context, string description, long totalBytes, Func<IProgress<long>, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(work);
        if (!context.ShowProgress)
        {
            return await work(new Progress<long>()).ConfigureAwait(false);
        }

        return await context.Error.Progress()
            .AutoClear(false)
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new DownloadedColumn(),
                new TransferSpeedColumn(),
                new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(Markup.Escape(description), maxValue: Math.Max(1, totalBytes));
                var result = await work(new TaskSink(task)).ConfigureAwait(false);
                task.Value = task.MaxValue;
                return result;
            }).ConfigureAwait(false);
    }

    // Synchronous on purpose: Progress<T> would post to the thread pool and could report after the bar finished.
    private sealed class TaskSink(ProgressTask task) : IProgress<long>
    {
        public void Report(long value) => task.Increment(value);
    }
}

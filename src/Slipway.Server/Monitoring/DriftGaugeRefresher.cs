using Slipway.Serving.Hosting;

namespace Slipway.Server.Monitoring;

/// <summary>
/// Recomputes the drift gauges every <see cref="ServingMonitoringOptions.DriftRefreshInterval"/> (on the monitoring
/// clock) for each served model's live version over the last hour and the last day: drift from profiles is cheap, but
/// not cheap enough for every scrape. A version without a reference profile (or without traffic) shows no drift series.
/// </summary>
internal sealed partial class DriftGaugeRefresher(ModelHost host, ServingMonitoring monitoring, DriftWindows drift, ILogger<DriftGaugeRefresher> logger) : IHostedService, IAsyncDisposable
{
    /// <summary>The windows the gauges show.</summary>
    public static readonly string[] Windows = [DriftWindows.Hour, DriftWindows.Day];

    private readonly CancellationTokenSource stopping = new();
    private readonly SemaphoreSlim running = new(1, 1);
    private ITimer? timer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var interval = monitoring.Options.DriftRefreshInterval;
        if (monitoring.Metrics is not null && interval > TimeSpan.Zero)
        {
            timer = monitoring.Time.CreateTimer(static state => _ = ((DriftGaugeRefresher)state!).RefreshAsync(), this, interval, interval);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (timer is not null)
        {
            await timer.DisposeAsync().ConfigureAwait(false);
        }

        await stopping.CancelAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (timer is not null)
        {
            await timer.DisposeAsync().ConfigureAwait(false);
        }

        stopping.Dispose();
        running.Dispose();
    }

    /// <summary>One refresh of every model and window; a refresh still running when the timer fires again is not doubled.</summary>
    public async Task RefreshAsync()
    {
        if (monitoring.Metrics is not { } metrics || !await running.WaitAsync(0).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            foreach (var model in host.Models)
            {
                foreach (var window in Windows)
                {
                    if (model.Contract is not { } contract)
                    {
                        metrics.ClearDrift(model.Name, window);
                        continue;
                    }

                    var answer = await drift.ComputeAsync(model.Name, contract.Version, window, stopping.Token).ConfigureAwait(false);
                    if (answer.Report is { } report)
                    {
                        metrics.SetDrift(model.Name, contract.Version, window, report);
                    }
                    else
                    {
                        metrics.ClearDrift(model.Name, window);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // A failed refresh keeps the last gauges; the next tick tries again.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailed(logger, e);
        }
        finally
        {
            running.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing the drift gauges failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

using Slipway.Core.Deployment;
using Slipway.Core.Deployment.Webhooks;
using Slipway.Core.Statistics.Drift;
using Slipway.Serving.Hosting;

namespace Slipway.Server.Monitoring;

/// <summary>
/// Recomputes the drift gauges every <see cref="ServingMonitoringOptions.DriftRefreshInterval"/> (on the monitoring
/// clock) for each served model's live version over the last hour and the last day: drift from profiles is cheap, but
/// not cheap enough for every scrape. A version without a reference profile (or without traffic) shows no drift series.
/// When an <paramref name="outbox"/> is given, a version whose dataset drift turns true (in any window) publishes one
/// <c>drift.alert</c> event; it fires again only after the drift has cleared and returned.
/// </summary>
internal sealed partial class DriftGaugeRefresher(ModelHost host, ServingMonitoring monitoring, DriftWindows drift, ILogger<DriftGaugeRefresher> logger, IEventOutbox? outbox = null) : IHostedService, IAsyncDisposable
{
    /// <summary>The windows the gauges show.</summary>
    public static readonly string[] Windows = [DriftWindows.Hour, DriftWindows.Day];

    private readonly CancellationTokenSource stopping = new();
    private readonly SemaphoreSlim running = new(1, 1);

    // Served name -> the version that drifted at the last refresh (absent when none did); touched only under `running`.
    private readonly Dictionary<string, string> drifting = new(StringComparer.Ordinal);
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
                (string Window, DriftReport Report)? drifted = null;
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
                        if (report.DatasetDrift && drifted is null)
                        {
                            drifted = (window, report);
                        }
                    }
                    else
                    {
                        metrics.ClearDrift(model.Name, window);
                    }
                }

                await AlertAsync(model, drifted).ConfigureAwait(false);
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

    /// <summary>Publishes <c>drift.alert</c> when the model's live version turned to drifting since the last refresh.</summary>
    private async Task AlertAsync(ServedModel model, (string Window, DriftReport Report)? drifted)
    {
        if (outbox is null)
        {
            return;
        }

        if (drifted is not { } found || model.Contract is not { } contract)
        {
            drifting.Remove(model.Name);
            return;
        }

        if (drifting.TryGetValue(model.Name, out var version) && version == contract.Version)
        {
            return;
        }

        var report = found.Report;
        var features = new List<string>();
        foreach (var feature in report.Features)
        {
            if (feature.Drifted)
            {
                features.Add(feature.Feature);
            }
        }

        var data = DriftAlertPayload.Data(
            model.Name, model.Alias.Length == 0 ? null : model.Alias, contract.Version, found.Window, report.DriftedShare, report.DriftShare, features);
        await outbox.PublishAsync(DeploymentEvents.DriftAlert, data, monitoring.Time.GetUtcNow().ToUnixTimeMilliseconds(), stopping.Token).ConfigureAwait(false);

        // Remembered only once stored: a failed publish is tried again at the next refresh.
        drifting[model.Name] = contract.Version;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing the drift gauges failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

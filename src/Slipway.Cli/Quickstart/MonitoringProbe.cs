using System.Globalization;
using System.Text;
using System.Text.Json;
using Slipway.Cli.CommandLine;
using Slipway.Cli.Drift;
using Slipway.Cli.Output;
using Slipway.Core.Registry;
using Slipway.Core.Statistics.Drift;
using Slipway.Monitoring;
using Slipway.Monitoring.InferenceLog;
using Slipway.Monitoring.Reference;
using Slipway.Monitoring.Reports;

namespace Slipway.Cli.Quickstart;

/// <summary>
/// The quickstart's monitoring step: ground truth for the answered requests through <c>POST /api/slipway/feedback</c>,
/// then, once the server has closed its files, the drift of the logged traffic against the version's reference (the
/// same exact tests as <c>slipway drift --since</c>) written as the HTML report.
/// </summary>
internal static class MonitoringProbe
{
    private const int MostDriftedShown = 5;

    /// <summary>Sends each request's true labels; returns the rows joined and how many the model got right.</summary>
    public static async Task<(int Rows, int Correct)> SendFeedbackAsync(
        HttpClient client, IReadOnlyList<(string RequestId, bool[] Actuals)> answered, CancellationToken cancellationToken)
    {
        int rows = 0, correct = 0;
        foreach (var (requestId, actuals) in answered)
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["request_id"] = requestId, ["actuals"] = actuals });
            for (var attempt = 0; ; attempt++)
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                using var response = await client.PostAsync(new Uri("/api/slipway/feedback", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);

                // The monitor indexes a prediction once its background writer took the record: moments after the answer.
                if (response.StatusCode == System.Net.HttpStatusCode.NotFound && attempt < 100)
                {
                    await Task.Delay(20, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw new CliException($"POST /api/slipway/feedback answered {(int)response.StatusCode}: {text}");
                }

                using var document = JsonDocument.Parse(text);
                rows += document.RootElement.GetProperty("rows").GetInt32();
                correct += document.RootElement.GetProperty("correct").GetInt32();
                break;
            }
        }

        return (rows, correct);
    }

    /// <summary>Drift of what the model was sent in [<paramref name="since"/>, <paramref name="until"/>) against its reference, as a view and an HTML report.</summary>
    public static async Task<MonitoringView> ReportAsync(
        IModelRegistry registry, string registryDirectory, ModelVersion version, DateTimeOffset since, DateTimeOffset until,
        int driftedSliceRows, (int Rows, int Correct) feedback, CancellationToken cancellationToken)
    {
        var monitoring = Path.Combine(registryDirectory, "monitoring");
        var stored = ReferenceStore.Find(version) ?? throw new CliException($"version {version.Version} of '{version.Name}' has no reference data.");
        var reference = await ReferenceStore.LoadDataAsync(registry, stored, cancellationToken).ConfigureAwait(false);
        var logged = await InferenceLogReader.ReadAsync(
            monitoring, version.Name, since, until, version.Version.ToString(CultureInfo.InvariantCulture), cancellationToken: cancellationToken).ConfigureAwait(false);
        var report = DriftDetector.Detect(reference, DriftCommand.Align(reference, logged, $"the inference log of '{version.Name}'"), DriftOptions.Default, cancellationToken);
        var reportPath = Path.Combine(registryDirectory, "reports", string.Create(CultureInfo.InvariantCulture, $"drift-{version.Name}-v{version.Version}.html"));
        Directory.CreateDirectory(Path.GetDirectoryName(reportPath)!);
        var html = DriftReportHtml.ToHtml(report, new DriftReportContext
        {
            Model = version.Name,
            Version = version.Version,
            ReferenceSource = "training data",
            CurrentSource = "quickstart drifted slice (inference log)",
            GeneratedAt = until,
        });
        await File.WriteAllTextAsync(reportPath, html, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);

        var deploy = Path.Combine(AppContext.BaseDirectory, "deploy");
        var today = DateOnly.FromDateTime(until.UtcDateTime);
        return new MonitoringView(
            monitoring,
            Path.Combine(monitoring, MonitoringPaths.Inferences, MonitoringPaths.Partition(version.Name, today)),
            Path.Combine(monitoring, MonitoringPaths.Profiles, MonitoringPaths.Partition(version.Name, today)),
            reportPath,
            Path.Combine(deploy, "grafana", "slipway-dashboard.json"),
            Path.Combine(deploy, "prometheus", "slipway-alerts.yml"),
            report.CurrentRows,
            driftedSliceRows,
            report.DatasetDrift,
            report.DriftedFeatures,
            report.Features.Count,
            report.Features.Take(MostDriftedShown)
                .Select(f => new FeatureDriftView(f.Feature, DriftMethods.Name(f.Method), f.Score, f.Threshold, f.Drifted)).ToList(),
            feedback.Rows,
            feedback.Rows == 0 ? 0 : (double)feedback.Correct / feedback.Rows);
    }
}

using System.Globalization;
using Slipway.Core.Statistics.Drift;
using Slipway.Monitoring.Reports;
using Slipway.Serving.Hosting;
using Slipway.Server.Http;

namespace Slipway.Server.Monitoring;

/// <summary>
/// Slipway's monitoring API on a serving node: <c>POST /api/slipway/feedback</c> (see <see cref="FeedbackEndpoint"/>),
/// <c>GET /api/slipway/monitoring/drift?model=NAME&amp;window=1h|1d|7d</c> (the drift report of the model's live version
/// over the window, as <c>slipway drift --format json</c> writes it) and <c>GET /api/slipway/monitoring/status</c>
/// (whether monitoring is on, where it writes, and what it logged and dropped).
/// </summary>
internal sealed class MonitoringEndpoints(ModelHost host, ServingMonitoring monitoring, DriftWindows drift)
{
    /// <summary>The drift route.</summary>
    public const string DriftPath = "/api/slipway/monitoring/drift";

    /// <summary>The status route.</summary>
    public const string StatusPath = "/api/slipway/monitoring/status";

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost(FeedbackEndpoint.Path, context => FeedbackEndpoint.HandleAsync(context, monitoring));
        routes.MapGet(DriftPath, DriftAsync);
        routes.MapGet(StatusPath, StatusAsync);
    }

    private async Task DriftAsync(HttpContext context)
    {
        var name = context.Request.Query["model"].ToString();
        if (string.IsNullOrEmpty(name))
        {
            await Responses.ErrorAsync(context, StatusCodes.Status400BadRequest, "INVALID_PARAMETER_VALUE", "model: required (the served model's name).").ConfigureAwait(false);
            return;
        }

        var windowText = context.Request.Query["window"].ToString();
        if (windowText.Length == 0)
        {
            windowText = DriftWindows.Day;
        }

        if (!DriftWindows.TryParse(windowText, out var window))
        {
            await Responses.ErrorAsync(context, StatusCodes.Status400BadRequest, "INVALID_PARAMETER_VALUE", $"window: must be one of {string.Join(", ", DriftWindows.Names)}, not '{windowText}'.").ConfigureAwait(false);
            return;
        }

        var model = host.Find(name);
        if (model is null)
        {
            await Responses.ErrorAsync(context, StatusCodes.Status404NotFound, "RESOURCE_DOES_NOT_EXIST", $"model: '{name}' is not served here.").ConfigureAwait(false);
            return;
        }

        if (monitoring.Monitor is null)
        {
            await Responses.ErrorAsync(context, StatusCodes.Status404NotFound, "RESOURCE_DOES_NOT_EXIST", "monitoring is off on this server: no live profiles to measure drift on.").ConfigureAwait(false);
            return;
        }

        if (model.Contract is not { } contract)
        {
            await Responses.ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "TEMPORARILY_UNAVAILABLE", $"model '{name}' is not loaded yet.").ConfigureAwait(false);
            return;
        }

        var answer = await drift.ComputeAsync(name, contract.Version, window, context.RequestAborted).ConfigureAwait(false);
        if (answer.Error is { } error)
        {
            await Responses.ErrorAsync(context, error.Status, error.Code, error.Message).ConfigureAwait(false);
            return;
        }

        var report = answer.Report!;
        var about = new DriftReportContext
        {
            Model = name,
            Version = long.TryParse(contract.Version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null,
            ReferenceSource = "registry",
            CurrentSource = "inference log, last " + window,
            Window = window,
            GeneratedAt = monitoring.Time.GetUtcNow(),
        };
        await FeedbackEndpoint.SendAsync(context, StatusCodes.Status200OK, writer => DriftReportJson.Write(writer, report, about)).ConfigureAwait(false);
    }

    private Task StatusAsync(HttpContext context) => FeedbackEndpoint.SendAsync(context, StatusCodes.Status200OK, writer =>
    {
        var monitor = monitoring.Monitor;
        writer.WriteStartObject();
        writer.WriteBoolean("enabled", monitor is not null);
        if (monitor is null)
        {
            writer.WriteEndObject();
            return;
        }

        writer.WriteString("directory", Path.GetFullPath(monitor.Options.Directory));
        writer.WriteNumber("sample_rate", monitor.Options.SampleRate);
        writer.WriteNumber("capacity", monitor.Options.Capacity);
        writer.WriteNumber("recorded", monitor.Recorded);
        writer.WriteNumber("dropped", monitor.Dropped);
        writer.WriteNumber("sampled_out", monitor.SampledOut);
        writer.WriteNumber("rows_logged", monitor.RowsLogged);
        writer.WriteNumber("queued", monitor.QueueLength);
        writer.WriteNumber("write_failures", monitor.WriteFailures);
        writer.WriteStartArray("models");
        foreach (var model in monitor.GetModels())
        {
            writer.WriteStartObject();
            writer.WriteString("model", model.Model);
            writer.WriteString("version", model.Version);
            writer.WriteNumber("requests", model.Requests);
            writer.WriteNumber("rows", model.Rows);
            writer.WriteString("last_seen", model.LastSeen.ToString("O", CultureInfo.InvariantCulture));
            writer.WriteBoolean("live", model.IsLive);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });
}

/// <summary>A drift answer: the report, or an error to send.</summary>
/// <param name="Report">The report; null with an error.</param>
/// <param name="Error">The error; null with a report.</param>
internal sealed record DriftAnswer(DriftReport? Report, DriftError? Error);

/// <summary>An error answer of the drift API.</summary>
internal sealed record DriftError(int Status, string Code, string Message);

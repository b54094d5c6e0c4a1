using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Core.Registry;
using Slipway.Serving.Hosting;
using Slipway.Server.Monitoring;
using Slipway.Server.Tests.Serving;

namespace Slipway.Server.Tests.Monitoring;

/// <summary>A real serving node with the iris classifier served as <c>models:/iris@champion</c>, monitoring on (or off) in a temporary directory.</summary>
internal static class MonitoredNode
{
    public static readonly string[] Columns = ["sepal_length", "sepal_width", "petal_length", "petal_width"];

    /// <summary>A two-row MLflow request: predicted labels 0 then 2.</summary>
    public const string TwoRows = """{"dataframe_split": {"columns": ["sepal_length", "sepal_width", "petal_length", "petal_width"], "data": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}}""";

    /// <summary>A one-row MLflow request: predicted label 0.</summary>
    public const string OneRow = """{"dataframe_split": {"columns": ["sepal_length", "sepal_width", "petal_length", "petal_width"], "data": [[5.1, 3.5, 1.4, 0.2]]}}""";

    /// <summary>A request the model rejects with 400 (a column is missing).</summary>
    public const string Bad = """{"dataframe_split": {"columns": ["sepal_length"], "data": [[5.1]]}}""";

    public static async Task<ServingNode> StartAsync(bool monitoring = true, Action<ServingMonitoringOptions>? configure = null)
    {
        var node = await ServingNode.OpenAsync();
        try
        {
            var version = await node.RegisterAsync("iris", ServingNode.Model("iris_logreg.onnx"), Columns);
            await node.Registry.SetAliasAsync("iris", "champion", version, null, CancellationToken.None);
            var options = new ServingMonitoringOptions { Enabled = monitoring, Directory = node.Combine("monitoring") };
            configure?.Invoke(options);
            node.Monitoring = options;
            await node.StartAsync(null, new ServedModelOptions(ModelUri.Parse("models:/iris@champion")));
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    public static ServingMonitoring Monitoring(this ServingNode node) => node.App.Services.GetRequiredService<ServingMonitoring>();

    public static async Task<HttpResponseMessage> ScoreAsync(this ServingNode node, string body, string? requestId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/models/iris/invocations") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (requestId is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Request-Id", requestId);
        }

        return await node.Http.SendAsync(request);
    }

    public static string RequestId(this HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Request-Id", out var values) ? string.Join(",", values) : string.Empty;

    public static async Task<Scrape> ScrapeAsync(this ServingNode node) =>
        Scrape.Parse(await node.Http.GetStringAsync("/metrics"));
}

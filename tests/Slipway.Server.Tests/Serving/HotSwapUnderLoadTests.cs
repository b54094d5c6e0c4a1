using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Slipway.Core.Registry;
using Slipway.Serving.Hosting;
using Slipway.Testing;

namespace Slipway.Server.Tests.Serving;

/// <summary>
/// 8 HTTP clients score without pause while the champion alias moves between two versions 100 times through the
/// registry: no request may fail, and every answer must be exactly one of the two versions' answers.
/// </summary>
public sealed class HotSwapUnderLoadTests
{
    private const int Clients = 8;
    private const int Moves = 100;
    private static readonly string[] Columns = ["sepal_length", "sepal_width", "petal_length", "petal_width"];

    /// <summary>Iris rows on which the logistic regression and the random forest give different probabilities.</summary>
    private static readonly int[] Rows = [0, 50, 70, 100, 133];

    [Fact]
    public async Task Alias_moves_under_concurrent_load_fail_no_request_and_every_answer_comes_from_a_live_version()
    {
        var logreg = Expected("iris_logreg");
        var forest = Expected("iris_random_forest");
        await using var node = await ServingNode.OpenAsync();
        var v1 = await node.RegisterAsync("iris", ServingNode.Model("iris_logreg.onnx"), Columns);
        var v2 = await node.RegisterAsync("iris", ServingNode.Model("iris_random_forest.onnx"), Columns);
        await node.Registry.SetAliasAsync("iris", "champion", v1, null, CancellationToken.None);
        await node.StartAsync(null, new ServedModelOptions(ModelUri.Parse("models:/iris@champion")));
        var answers = new Dictionary<string, Expectation>
        {
            [v1.ToString(CultureInfo.InvariantCulture)] = logreg,
            [v2.ToString(CultureInfo.InvariantCulture)] = forest,
        };

        var mlflowBody = MlflowRequest(logreg.Input);
        var v2Body = V2Request(logreg.Input);
        using var stop = new CancellationTokenSource();
        var stats = new LoadStats();

        // Half the clients speak MLflow (the answer names no version: it must be one of the two), half V2 (the answer
        // names its version: it must be that version's answer).
        var clients = Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (c % 2 == 0)
                {
                    using var response = await Post(node.Http, "/invocations", mlflowBody);
                    var text = await response.Content.ReadAsStringAsync();
                    stats.Record(response.StatusCode, text, response.StatusCode == HttpStatusCode.OK ? MlflowVersion(text, answers) : null);
                }
                else
                {
                    using var response = await Post(node.Http, "/v2/models/iris/infer", v2Body);
                    var text = await response.Content.ReadAsStringAsync();
                    stats.Record(response.StatusCode, text, response.StatusCode == HttpStatusCode.OK ? V2Version(text, answers) : null);
                }
            }
        })).ToArray();

        var clock = Stopwatch.StartNew();
        var model = node.Host.Find("iris")!;
        try
        {
            for (var move = 1; move <= Moves; move++)
            {
                var target = move % 2 == 1 ? v2 : v1;
                var before = stats.Total;
                await node.Registry.SetAliasAsync("iris", "champion", target, null, CancellationToken.None);

                // Each move must go live (and be scored on) before the next, so that 100 moves are 100 swaps under load.
                var version = target.ToString(CultureInfo.InvariantCulture);
                while (model.Contract?.Version != version || stats.Total < before + Clients)
                {
                    Assert.True(clock.Elapsed < TimeSpan.FromSeconds(50), $"move {move} to version {version} did not go live; status: {model.GetStatus()}");
                    Assert.True(stats.Failures.IsEmpty, stats.Describe());
                    await Task.Delay(2);
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(clients);
        }

        Assert.True(stats.Failures.IsEmpty, stats.Describe());
        Assert.True(stats.ByVersion.TryGetValue("1", out var fromV1) && fromV1 > 0, stats.Describe());
        Assert.True(stats.ByVersion.TryGetValue("2", out var fromV2) && fromV2 > 0, stats.Describe());
        var status = model.GetStatus();
        Assert.Equal(Moves + 1, status.Swaps);
        Assert.Equal(0, status.Failures);
        Assert.Equal(v1.ToString(CultureInfo.InvariantCulture), status.LiveVersion);

        // Every answer was counted as a success by the server too.
        var metrics = await node.Http.GetStringAsync("/metrics");
        Assert.DoesNotContain("status=\"5xx\"", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("status=\"4xx\"", metrics, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> Post(HttpClient http, string path, string body) =>
        http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    /// <summary>The version whose answer this MLflow response is, or null when it is neither's.</summary>
    private static string? MlflowVersion(string text, Dictionary<string, Expectation> answers)
    {
        using var document = JsonDocument.Parse(text);
        var predictions = document.RootElement.GetProperty("predictions");
        var labels = new long[predictions.GetArrayLength()];
        var probabilities = new List<double>();
        for (var r = 0; r < labels.Length; r++)
        {
            labels[r] = predictions[r].GetProperty("label").GetInt64();
            probabilities.AddRange(predictions[r].GetProperty("probabilities").EnumerateArray().Select(v => v.GetDouble()));
        }

        return answers.Where(a => a.Value.Matches(labels, [.. probabilities])).Select(a => a.Key).SingleOrDefault();
    }

    /// <summary>The version named in this V2 response when the outputs are that version's answer, else null.</summary>
    private static string? V2Version(string text, Dictionary<string, Expectation> answers)
    {
        using var document = JsonDocument.Parse(text);
        var version = document.RootElement.GetProperty("model_version").GetString()!;
        var outputs = document.RootElement.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!, o => o.GetProperty("data"));
        var labels = outputs["label"].EnumerateArray().Select(v => v.GetInt64()).ToArray();
        var probabilities = outputs["probabilities"].EnumerateArray().Select(v => v.GetDouble()).ToArray();
        return answers.TryGetValue(version, out var expected) && expected.Matches(labels, probabilities) ? version : null;
    }

    private static string MlflowRequest(double[][] input) =>
        $$$"""{"dataframe_split": {"columns": ["sepal_length", "sepal_width", "petal_length", "petal_width"], "data": {{{JsonSerializer.Serialize(input)}}}}}""";

    private static string V2Request(double[][] input)
    {
        var tensors = Columns.Select((name, c) =>
            $$"""{"name": "{{name}}", "datatype": "FP32", "shape": [{{input.Length}}], "data": {{JsonSerializer.Serialize(input.Select(r => r[c]).ToArray())}}}""");
        return $$"""{"inputs": [{{string.Join(", ", tensors)}}]}""";
    }

    /// <summary>scikit-learn's answers for <see cref="Rows"/> from the model's expected-outputs file.</summary>
    private static Expectation Expected(string model)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("testdata", "models", model + ".expected.json")));
        var root = document.RootElement;
        return new Expectation(
            [.. Rows.Select(r => root.GetProperty("input")[r].EnumerateArray().Select(v => v.GetDouble()).ToArray())],
            [.. Rows.Select(r => root.GetProperty("label")[r].GetInt64())],
            [.. Rows.SelectMany(r => root.GetProperty("probabilities")[r].EnumerateArray().Select(v => v.GetDouble()))]);
    }

    private sealed record Expectation(double[][] Input, long[] Labels, double[] Probabilities)
    {
        public bool Matches(long[] labels, double[] probabilities)
        {
            if (!labels.AsSpan().SequenceEqual(Labels) || probabilities.Length != Probabilities.Length)
            {
                return false;
            }

            for (var i = 0; i < probabilities.Length; i++)
            {
                if (Math.Abs(probabilities[i] - Probabilities[i]) > 1e-5)
                {
                    return false;
                }
            }

            return true;
        }
    }

    private sealed class LoadStats
    {
        private long total;

        public System.Collections.Concurrent.ConcurrentQueue<string> Failures { get; } = new();

        public System.Collections.Concurrent.ConcurrentDictionary<string, long> ByVersion { get; } = new();

        public long Total => Interlocked.Read(ref total);

        public void Record(HttpStatusCode status, string body, string? version)
        {
            Interlocked.Increment(ref total);
            if (status != HttpStatusCode.OK)
            {
                Failures.Enqueue($"{(int)status}: {body}");
            }
            else if (version is null)
            {
                Failures.Enqueue("an answer from neither version: " + body);
            }
            else
            {
                ByVersion.AddOrUpdate(version, 1, (_, n) => n + 1);
            }
        }

        public string Describe() =>
            $"{Total} requests, by version: {string.Join(", ", ByVersion.Select(p => $"{p.Key}={p.Value}"))}; failures: {Failures.Count}\n{string.Join('\n', Failures.Take(5))}";
    }
}

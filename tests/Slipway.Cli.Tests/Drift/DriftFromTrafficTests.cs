using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Slipway.Cli.Tests.Infrastructure;
using Slipway.Testing;

namespace Slipway.Cli.Tests.Drift;

/// <summary>
/// <c>slipway drift --since</c> and <c>--window</c> over what a real serving process logged: the server writes the
/// Parquet inference log and profile snapshots into the embedded registry's monitoring folder, the CLI reads them.
/// </summary>
public sealed class DriftFromTrafficTests
{
    private const string Columns = "sepal_length,sepal_width,petal_length,petal_width";

    [Fact]
    public async Task Drift_since_and_over_a_window_finds_the_shifted_traffic_a_server_logged()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        var rows = IrisRows();
        var reference = work.Combine("reference.csv");
        File.WriteAllLines(reference, [Columns, .. rows.Select(r => string.Join(',', r.Select(v => v.ToString("R", CultureInfo.InvariantCulture))))]);
        (await SlipwayExecutable.RunAsync(
            work.Path, "models", "register", "iris", RepoPaths.Combine("testdata", "models", "iris_logreg.onnx"), "--columns", Columns, "--reference-data", reference)).ShouldSucceed();

        await using (var server = await ServerProcess.StartAsync(work.Path, null, "--serve", "models:/iris/1"))
        {
            using var http = new HttpClient { BaseAddress = new Uri(server.Url), Timeout = TimeSpan.FromSeconds(10) };
            var clock = Stopwatch.StartNew();
            while (!(await http.GetAsync("/v2/health/ready")).IsSuccessStatusCode)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the model did not load: " + server.Output);
                await Task.Delay(50);
            }

            // 75 flowers, every measurement 3 cm larger, in requests of 5 rows.
            var shifted = rows.Where((_, i) => i % 2 == 0).Select(r => r.Select(v => v + 3).ToArray()).ToArray();
            for (var start = 0; start < shifted.Length; start += 5)
            {
                var data = string.Join(',', shifted.Skip(start).Take(5).Select(r => "[" + string.Join(',', r.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]"));
                using var response = await http.PostAsync(
                    "/models/iris/invocations",
                    new StringContent($$$"""{"dataframe_split": {"columns": ["sepal_length", "sepal_width", "petal_length", "petal_width"], "data": [{{{data}}}]}}""", Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            // A graceful stop closes the open inference log file and writes the hour's profile snapshot.
            Assert.Equal(0, await server.TerminateAsync(TimeSpan.FromSeconds(30)));
        }

        var since = (await SlipwayExecutable.RunAsync(work.Path, "drift", "models:/iris/1", "--since", "1h", "--output", "json")).ShouldSucceed().Json();
        Assert.True(since.GetProperty("dataset_drift").GetBoolean());
        Assert.Equal(4, since.GetProperty("drifted_features").GetInt32());
        Assert.Equal(75, since.GetProperty("current").GetProperty("rows").GetInt64());

        var window = (await SlipwayExecutable.RunAsync(work.Path, "drift", "models:/iris/1", "--window", "1h", "--output", "json")).ShouldSucceed().Json();
        Assert.True(window.GetProperty("dataset_drift").GetBoolean());
        Assert.All(window.GetProperty("features").EnumerateArray(), f => Assert.Equal(75, f.GetProperty("current_count").GetInt64()));

        (await SlipwayExecutable.RunAsync(work.Path, "drift", "models:/iris/1", "--since", "yesterday")).ShouldFailWith(1, "--since 'yesterday' is neither a duration");
        (await SlipwayExecutable.RunAsync(work.Path, "drift", "models:/iris/1", "--window", "2h")).ShouldFailWith(1, "--window '2h' is not one of 1h, 1d, 7d");
        (await SlipwayExecutable.RunAsync(work.Path, "drift", "models:/iris/1", "--since", "2000-01-01T00:00:00Z", "--monitoring-dir", work.Combine("empty")))
            .ShouldFailWith(1, "no requests to version 1 of 'iris' were logged");
    }

    private static double[][] IrisRows()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("testdata", "models", "iris_logreg.expected.json")));
        return document.RootElement.GetProperty("input").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
    }
}

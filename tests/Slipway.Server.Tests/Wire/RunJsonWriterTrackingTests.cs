using System.Text;
using System.Text.Json;
using Slipway.Core.Tracking;
using Slipway.Mlflow;
using Slipway.Mlflow.Contracts.Tracking;

namespace Slipway.Server.Tests.Wire;

/// <summary>The hand-written run search writer must produce exactly the bytes the source-generated serializer does.</summary>
public sealed class RunJsonWriterTrackingTests
{
    private static readonly Run Full = new(
        new RunInfo("r1", "7", "name \"quoted\" é", "user<1>", RunStatus.Finished, 1700000000000, 1700000000999, "mlflow-artifacts:/7/r1/artifacts", LifecycleStage.Deleted),
        new RunData(
            [new Metric("a", 0.1, 1, 2), new Metric("nan", double.NaN, 3, 4), new Metric("inf", double.PositiveInfinity, 5, -6), new Metric("ninf", double.NegativeInfinity, 7, 8), new Metric("big", 1.7976931348623157E+308, 9, 10), new Metric("neg", -2.5e-300, 0, 0)],
            [new Param("p", "v\n\u0001"), new Param("empty", string.Empty)],
            [new RunTag("mlflow.runName", "name")]),
        [
            new DatasetInput(new Dataset("d", "abc", "local", "{\"uri\":\"x\"}", "{\"s\":1}", null), [new RunTag("mlflow.data.context", "train")]),
            new DatasetInput(new Dataset("e", "def", "s3", "src", null, "{}"), []),
        ]);

    private static readonly Run Bare = new(
        new RunInfo("r2", "8", string.Empty, string.Empty, RunStatus.Running, 0, null, "file:///tmp", LifecycleStage.Active),
        new RunData([], [], []),
        []);

    [Theory]
    [InlineData(0, null)]
    [InlineData(1, "token")]
    [InlineData(2, null)]
    public void Writes_the_same_bytes_as_the_serializer(int count, string? nextPageToken)
    {
        Run[] runs = count switch { 0 => [], 1 => [Bare], _ => [Full, Bare] };
        var expected = JsonSerializer.Serialize(
            new SearchRunsResponse { Runs = runs.Length == 0 ? null : runs.Select(TrackingWireMapper.ToMessage).ToArray(), NextPageToken = nextPageToken },
            MlflowJsonContext.Default.SearchRunsResponse);

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            RunJsonWriter.WriteSearchStart(writer, runs.Length > 0);
            foreach (var run in runs)
            {
                RunJsonWriter.WriteRun(writer, run);
            }

            RunJsonWriter.WriteSearchEnd(writer, runs.Length > 0, nextPageToken);
        }

        Assert.Equal(expected, Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void Non_finite_metric_values_travel_as_strings()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            RunJsonWriter.WriteRun(writer, Full);
        }

        var json = Encoding.UTF8.GetString(stream.ToArray());
        Assert.Contains("\"value\":\"NaN\"", json, StringComparison.Ordinal);
        Assert.Contains("\"value\":\"Infinity\"", json, StringComparison.Ordinal);
        Assert.Contains("\"value\":\"-Infinity\"", json, StringComparison.Ordinal);
    }
}

using System.Text.Json;
using Slipway.Cli.Output;
using Slipway.Cli.Runs;
using Slipway.Core.Artifacts;
using Slipway.Core.Tracking;

namespace Slipway.Cli.Tests.Tracking;

/// <summary>The pure parts of the tracking commands: comparison, durations, artifact paths and JSON of odd metric values.</summary>
public sealed class TrackingViewTests
{
    [Fact]
    public void Compare_lines_up_every_key_of_every_run_with_null_for_missing_ones()
    {
        var a = NewRun("a", [new Metric("auc", 0.9, 1, 3), new Metric("loss", 0.2, 1, 3)], [new Param("trees", "50"), new Param("seed", "1")]);
        var b = NewRun("b", [new Metric("auc", 0.95, 1, 1)], [new Param("trees", "100")]);

        var view = RunCompareCommand.Compare([a, b]);

        Assert.Equal(["a", "b"], view.Runs.Select(r => r.RunId));
        Assert.Equal(["seed", "trees"], view.Params.Keys);
        Assert.Equal("50", view.Params["trees"]["a"]);
        Assert.Equal("100", view.Params["trees"]["b"]);
        Assert.Null(view.Params["seed"]["b"]);
        Assert.Equal(["auc", "loss"], view.Metrics.Keys);
        Assert.Equal(0.95, view.Metrics["auc"]["b"]);
        Assert.Null(view.Metrics["loss"]["b"]);
    }

    [Theory]
    [InlineData(null, "-")]
    [InlineData(850L, "850ms")]
    [InlineData(4_200L, "4.2s")]
    [InlineData(185_000L, "3m 05s")]
    [InlineData(7_260_000L, "2h 01m")]
    [InlineData(-5L, "0ms")]
    public void Durations_read_short(long? milliseconds, string expected) =>
        Assert.Equal(expected, TrackingViewMapper.FormatDuration(milliseconds));

    [Theory]
    [InlineData("model/MLmodel", "model", "model/MLmodel")]
    [InlineData("MLmodel", "model", "model/MLmodel")]
    [InlineData("notes.txt", "", "notes.txt")]
    public void Artifact_paths_are_relative_to_the_run_root_whichever_way_the_listing_names_them(string listed, string directory, string expected) =>
        Assert.Equal(expected, TrackingViewMapper.ArtifactPath(new ArtifactEntry(listed, false, 1), directory));

    [Fact]
    public void Json_output_keeps_nan_and_infinite_metrics_instead_of_failing()
    {
        var run = NewRun("a", [new Metric("loss", double.NaN, 1, 0), new Metric("gain", double.PositiveInfinity, 1, 0)], []);

        var json = JsonSerializer.Serialize(new RunListView([TrackingViewMapper.ToSummary(run)]), CliJsonContext.Default.RunListView);

        using var document = JsonDocument.Parse(json);
        var metrics = document.RootElement.GetProperty("runs")[0].GetProperty("metrics");
        Assert.Equal("NaN", metrics.GetProperty("loss").GetString());
        Assert.Equal("Infinity", metrics.GetProperty("gain").GetString());
    }

    private static Run NewRun(string id, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters) =>
        new(
            new RunInfo(id, "1", "run-" + id, "ana", RunStatus.Finished, 1_000, 2_000, "mlflow-artifacts:/1/" + id + "/artifacts", LifecycleStage.Active),
            new RunData(metrics, parameters, []),
            []);
}

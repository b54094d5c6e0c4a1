using System.Globalization;
using System.Text.Json;
using Slipway.Cli.Tests.Infrastructure;
using Slipway.Testing;

namespace Slipway.Cli.Tests.Drift;

public sealed class DriftCommandTests
{
    private const string Columns = "sepal_length,sepal_width,petal_length,petal_width";
    private static readonly string IrisModel = RepoPaths.Combine("testdata", "models", "iris_logreg.onnx");

    [Fact]
    public async Task Register_with_reference_data_then_drift_finds_a_shifted_file_and_not_a_sample()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        var rows = IrisRows();
        var reference = WriteCsv(work.Combine("reference.csv"), rows, 0, "label");
        var sample = WriteCsv(work.Combine("sample.csv"), rows.Where((_, i) => i % 2 == 0).ToArray(), 0);
        var shifted = WriteCsv(work.Combine("shifted.csv"), rows.Where((_, i) => i % 2 == 0).ToArray(), 3);

        var registered = (await SlipwayExecutable.RunAsync(
            work.Path, "models", "register", "iris", IrisModel, "--columns", Columns, "--reference-data", reference, "--output", "json")).ShouldSucceed();
        var tags = registered.Json().GetProperty("tags");
        Assert.Equal("150", tags.GetProperty("slipway.reference.rows").GetString());
        Assert.Equal(Columns, tags.GetProperty("slipway.reference.columns").GetString());

        var drifted = (await SlipwayExecutable.RunAsync(work.Path, "drift", "models:/iris/1", "--current", shifted, "--format", "json")).ShouldSucceed().Json();
        Assert.True(drifted.GetProperty("dataset_drift").GetBoolean());
        Assert.Equal(4, drifted.GetProperty("drifted_features").GetInt32());
        Assert.Equal(75, drifted.GetProperty("current").GetProperty("rows").GetInt64());
        Assert.All(drifted.GetProperty("features").EnumerateArray(), f => Assert.Equal("ks", f.GetProperty("method").GetString()));

        var stable = (await SlipwayExecutable.RunAsync(work.Path, "drift", "models:/iris/1", "--current", sample, "--output", "json")).ShouldSucceed().Json();
        Assert.False(stable.GetProperty("dataset_drift").GetBoolean());
        Assert.Equal(0, stable.GetProperty("drifted_features").GetInt32());

        var html = work.Combine("report.html");
        var written = (await SlipwayExecutable.RunAsync(work.Path, "drift", "models:/iris/1", "--current", shifted, "--format", "html", "--report", html)).ShouldSucceed();
        Assert.Equal(html, written.StdOut.Trim());
        var page = await File.ReadAllTextAsync(html);
        Assert.Contains("Dataset drift detected", page, StringComparison.Ordinal);
        Assert.Contains("petal_length", page, StringComparison.Ordinal);
        Assert.DoesNotContain("http", page, StringComparison.Ordinal);

        var table = (await SlipwayExecutable.RunAsync(work.Path, "drift", "models:/iris/1", "--current", sample)).ShouldSucceed();
        Assert.Contains("no dataset drift: 0 of 4 features drifted", table.StdOut, StringComparison.Ordinal);

        (await SlipwayExecutable.RunAsync(work.Path, "drift", "models:/iris/1", "--current", shifted, "--fail-on-drift")).ShouldFailWith(3, "dataset drift: 4 of 4 features drifted");
        (await SlipwayExecutable.RunAsync(work.Path, "drift", "models:/iris/1", "--current", sample, "--fail-on-drift")).ShouldSucceed();

        var overridden = (await SlipwayExecutable.RunAsync(
            work.Path, "drift", "models:/iris/1", "--current", sample, "--method", "psi", "--feature-method", "petal_width=wasserstein:0.5", "--output", "json")).ShouldSucceed().Json();
        var methods = overridden.GetProperty("features").EnumerateArray().ToDictionary(f => f.GetProperty("feature").GetString()!, f => f.GetProperty("method").GetString());
        Assert.Equal("wasserstein", methods["petal_width"]);
        Assert.Equal("psi", methods["sepal_length"]);
    }

    [Fact]
    public async Task Bad_inputs_fail_with_one_line_naming_the_problem()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        var rows = IrisRows();
        var sample = WriteCsv(work.Combine("sample.csv"), rows, 0);
        var broken = work.Combine("broken.csv");
        File.WriteAllLines(broken, [Columns, "5.1,3.5,1.4,0.2", "5.1,3.5,wide,0.2"]);

        // A bad reference file fails before any version exists.
        (await SlipwayExecutable.RunAsync(work.Path, "models", "register", "iris", IrisModel, "--columns", Columns, "--reference-data", broken))
            .ShouldFailWith(1, "row 2, column 'petal_length': 'wide' is not a number");
        (await SlipwayExecutable.RunAsync(work.Path, "models", "versions", "iris")).ShouldFailWith(1, "iris");

        (await SlipwayExecutable.RunAsync(work.Path, "models", "register", "iris", IrisModel, "--columns", Columns)).ShouldSucceed();
        (await SlipwayExecutable.RunAsync(work.Path, "drift", "models:/iris/1", "--current", sample))
            .ShouldFailWith(1, "has no reference data; add one with 'slipway models reference iris 1 FILE'");

        var added = (await SlipwayExecutable.RunAsync(work.Path, "models", "reference", "iris", "1", sample, "--output", "json")).ShouldSucceed().Json();
        Assert.Equal(150, added.GetProperty("rows").GetInt64());
        Assert.Equal(JsonValueKind.Null, added.GetProperty("replaced").ValueKind);
        var again = (await SlipwayExecutable.RunAsync(work.Path, "models", "reference", "iris", "1", sample, "--output", "json")).ShouldSucceed().Json();
        Assert.Equal(added.GetProperty("data").GetString(), again.GetProperty("replaced").GetString());

        (await SlipwayExecutable.RunAsync(work.Path, "drift", "models:/nope/1", "--current", sample)).ShouldFailWith(1, "nope");
        (await SlipwayExecutable.RunAsync(work.Path, "drift", "models:/iris/7", "--current", sample)).ShouldFailWith(1, "7");
        (await SlipwayExecutable.RunAsync(work.Path, "drift", "models:/iris/1", "--current", work.Combine("none.csv"))).ShouldFailWith(1, "none.csv' does not exist");
        (await SlipwayExecutable.RunAsync(work.Path, "drift", "models:/iris/1", "--current", broken)).ShouldFailWith(1, "--current: broken.csv: row 2, column 'petal_length'");
        (await SlipwayExecutable.RunAsync(work.Path, "drift", "models:/iris/1", "--current", sample, "--method", "magic")).ShouldFailWith(1, "unknown drift method 'magic'");
        (await SlipwayExecutable.RunAsync(work.Path, "drift", "models:/iris/1", "--current", sample, "--threshold", "-1")).ShouldFailWith(1, "--threshold");
        (await SlipwayExecutable.RunAsync(work.Path, "drift", "models:/iris/1", "--current", sample, "--feature-method", "height=ks")).ShouldFailWith(1, "feature 'height' is not one of the model's features");
        (await SlipwayExecutable.RunAsync(work.Path, "drift", "models:/iris/1")).ShouldFailWith(1, "give exactly one of --current");
        (await SlipwayExecutable.RunAsync(work.Path, "drift", "models:/iris/1", "--current", sample, "--format", "pdf")).ShouldFailWith(2, "pdf");
    }

    private static double[][] IrisRows()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("testdata", "models", "iris_logreg.expected.json")));
        return document.RootElement.GetProperty("input").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
    }

    private static string WriteCsv(string path, double[][] rows, double shift, string? extraColumn = null)
    {
        var lines = new List<string> { extraColumn is null ? Columns : Columns + "," + extraColumn };
        foreach (var row in rows)
        {
            var cells = row.Select(v => (v + shift).ToString("R", CultureInfo.InvariantCulture));
            lines.Add(string.Join(',', extraColumn is null ? cells : cells.Append("x")));
        }

        File.WriteAllLines(path, lines);
        return path;
    }
}

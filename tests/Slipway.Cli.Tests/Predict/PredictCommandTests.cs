using System.Globalization;
using System.Text;
using System.Text.Json;
using Parquet;
using Parquet.Schema;
using Slipway.Cli.Tests.Infrastructure;
using Slipway.Testing;

namespace Slipway.Cli.Tests.Predict;

public sealed class PredictCommandTests
{
    private static readonly string IrisModel = RepoPaths.Combine("testdata", "models", "iris_logreg.onnx");

    /// <summary>The iris rows and the labels scikit-learn gave them.</summary>
    private static readonly (double[][] Input, long[] Label) Iris = ReadExpected();

    [Fact]
    public async Task Predict_scores_a_large_csv_into_parquet_in_row_order_and_reports_json()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        (await SlipwayExecutable.RunAsync(work.Path, "models", "register", "iris", IrisModel)).ShouldSucceed();
        const int Rows = 200_000;
        var input = work.Combine("in.csv");
        WriteIrisCsv(input, Rows);
        var output = work.Combine("out.parquet");

        var result = (await SlipwayExecutable.RunAsync(
            work.Path, "predict", "models:/iris/1", "--input", input, "--output", output, "--output", "json", "--chunk-rows", "5000")).ShouldSucceed();

        var json = result.Json();
        Assert.Equal("iris", json.GetProperty("name").GetString());
        Assert.Equal(1, json.GetProperty("version").GetInt64());
        Assert.Equal(Rows, json.GetProperty("rows").GetInt64());
        Assert.Equal(output, json.GetProperty("output").GetString());
        Assert.True(json.GetProperty("rows_per_second").GetDouble() > 0);

        var (columns, labels) = await ReadLabelsAsync(output);
        Assert.Equal(["label", "probabilities_0", "probabilities_1", "probabilities_2"], columns);
        Assert.Equal(Rows, labels.Length);
        for (var r = 0; r < Rows; r++)
        {
            if (labels[r] != Iris.Label[r % Iris.Label.Length])
            {
                Assert.Fail($"row {r + 1}: label {labels[r]}, scikit-learn says {Iris.Label[r % Iris.Label.Length]}");
            }
        }

        Assert.False(File.Exists(output + ".partial"));
    }

    [Fact]
    public async Task Predict_follows_an_alias_and_writes_csv_with_a_readable_summary()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        (await SlipwayExecutable.RunAsync(work.Path, "models", "register", "iris", IrisModel, "--columns", "sepal_length,sepal_width,petal_length,petal_width")).ShouldSucceed();
        (await SlipwayExecutable.RunAsync(work.Path, "alias", "set", "iris", "champion", "1")).ShouldSucceed();
        var input = work.Combine("in.csv");
        File.WriteAllLines(input, ["id,petal_width,petal_length,sepal_width,sepal_length", "a,0.2,1.4,3.5,5.1", "b,2.3,5.2,3.0,6.7"]);
        var output = work.Combine("out.csv");

        var result = (await SlipwayExecutable.RunAsync(work.Path, "predict", "models:/iris@champion", "--input", input, "--output", output)).ShouldSucceed();

        Assert.Contains("iris version 1 scored 2 rows", result.StdOut, StringComparison.Ordinal);
        var lines = await File.ReadAllLinesAsync(output);
        Assert.Equal("label,probabilities_0,probabilities_1,probabilities_2", lines[0]);
        Assert.Equal(["0", "2"], lines.Skip(1).Select(l => l.Split(',')[0]));
    }

    [Fact]
    public async Task Predict_bad_inputs_fail_with_one_line_and_leave_no_output()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        (await SlipwayExecutable.RunAsync(work.Path, "models", "register", "iris", IrisModel)).ShouldSucceed();
        var input = work.Combine("in.csv");
        WriteIrisCsv(input, 10);
        var output = work.Combine("out.parquet");

        (await SlipwayExecutable.RunAsync(work.Path, "predict", "models:/iris/1", "--input", work.Combine("missing.csv"), "--output", output))
            .ShouldFailWith(1, "missing.csv' does not exist");
        (await SlipwayExecutable.RunAsync(work.Path, "predict", "models:/nope/1", "--input", input, "--output", output))
            .ShouldFailWith(1, "nope");
        (await SlipwayExecutable.RunAsync(work.Path, "predict", "models:/iris/7", "--input", input, "--output", output))
            .ShouldFailWith(1, "7");
        (await SlipwayExecutable.RunAsync(work.Path, "predict", "models:/iris/1", "--input", input, "--output", output, "--output", work.Combine("other.csv")))
            .ShouldFailWith(1, "one predictions file");
        (await SlipwayExecutable.RunAsync(work.Path, "predict", "models:/iris/1", "--input", input, "--output", "json"))
            .ShouldFailWith(1, "(got none)");
        (await SlipwayExecutable.RunAsync(work.Path, "predict", "models:/iris/1", "--input", input, "--output", work.Combine("out.txt")))
            .ShouldFailWith(1, "must end in .csv or .parquet");
        (await SlipwayExecutable.RunAsync(work.Path, "predict", "models:/iris/1", "--input", input, "--output", output, "--workers", "0"))
            .ShouldFailWith(1, "--workers");
        (await SlipwayExecutable.RunAsync(work.Path, "predict", "iris", "--input", input, "--output", output))
            .ShouldFailWith(1, "models:/");

        var bad = work.Combine("bad.csv");
        File.WriteAllLines(bad, ["a,b,c,d", "5.1,3.5,1.4,0.2", "5.1,x,1.4,0.2"]);
        (await SlipwayExecutable.RunAsync(work.Path, "predict", "models:/iris/1", "--input", bad, "--output", output))
            .ShouldFailWith(1, "row 2, column 'b'");

        var missingOutput = await SlipwayExecutable.RunAsync(work.Path, "predict", "models:/iris/1", "--input", input);
        Assert.NotEqual(0, missingOutput.ExitCode);
        Assert.Contains("--output", missingOutput.StdErr, StringComparison.Ordinal);

        Assert.False(File.Exists(output));
        Assert.False(File.Exists(output + ".partial"));
        Assert.False(File.Exists(work.Combine("out.txt")));
    }

    private static void WriteIrisCsv(string path, int rows)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        writer.WriteLine("sepal_length,sepal_width,petal_length,petal_width");
        var lines = Iris.Input.Select(r => string.Join(',', r.Select(v => ((float)v).ToString(CultureInfo.InvariantCulture)))).ToArray();
        for (var r = 0; r < rows; r++)
        {
            writer.WriteLine(lines[r % lines.Length]);
        }
    }

    private static async Task<(string[] Columns, long[] Labels)> ReadLabelsAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.GetDataFields();
        var label = fields.Single(f => f.Name == "label");
        Assert.Equal(typeof(long), label.ClrType);
        var labels = new List<long>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var values = new long[group.RowCount];
            await group.ReadAsync(label, values.AsMemory());
            labels.AddRange(values);
        }

        return ([.. fields.Select(f => f.Name)], [.. labels]);
    }

    private static (double[][] Input, long[] Label) ReadExpected()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("testdata", "models", "iris_logreg.expected.json")));
        var root = document.RootElement;
        var input = root.GetProperty("input").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        var labels = root.GetProperty("label").EnumerateArray().Select(v => v.GetInt64()).ToArray();
        return (input, labels);
    }
}

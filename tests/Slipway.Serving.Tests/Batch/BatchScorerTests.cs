using System.Globalization;
using Parquet;
using Parquet.Schema;
using Slipway.Serving.Batch;
using Slipway.Serving.Runtimes;
using Slipway.Serving.Tensors;
using Slipway.Serving.Tests.Runtimes;
using Slipway.Testing;

namespace Slipway.Serving.Tests.Batch;

public sealed class BatchScorerTests : IDisposable
{
    private static readonly string[] IrisColumns = ["sepal_length", "sepal_width", "petal_length", "petal_width"];

    private static readonly string[] PredictionColumns = ["label", "probabilities_0", "probabilities_1", "probabilities_2"];

    private static readonly double[][] IrisInputs = ExpectedOutputs.Read(TestPackages.Model("iris_logreg.expected.json")).Input;

    private readonly TempDirectory temp = new("slipway-batch");

    public void Dispose() => temp.Dispose();

    /// <summary>The iris tensor model (one float_input [-1, 4]: file columns in order) or the same model with named columns.</summary>
    private IModelRuntime Iris(bool columns) =>
        ModelRuntimes.Load(TestPackages.Package(temp, TestPackages.Model("iris_logreg.onnx"), columns ? IrisColumns : null), "iris", "1", new RuntimeOptions());

    /// <summary><paramref name="count"/> iris rows, cycling through the data set.</summary>
    private static float[][] Rows(int count) =>
        Enumerable.Range(0, count).Select(i => IrisInputs[i % IrisInputs.Length].Select(v => (float)v).ToArray()).ToArray();

    public static TheoryData<string, string, bool> Formats => new()
    {
        { ".csv", ".parquet", false },
        { ".csv", ".csv", false },
        { ".parquet", ".csv", false },
        { ".parquet", ".parquet", false },
        { ".csv", ".parquet", true },
        { ".csv", ".csv", true },
        { ".parquet", ".csv", true },
        { ".parquet", ".parquet", true },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Predictions_equal_the_runtime_on_the_same_rows(string inputFormat, string outputFormat, bool namedColumns)
    {
        using var runtime = Iris(namedColumns);
        var rows = Rows(300);

        // A column model takes its columns by name: give them in another order, with an identifier column it ignores.
        var header = namedColumns ? ["id", "petal_width", "sepal_length", "petal_length", "sepal_width"] : IrisColumns;
        var input = temp.Combine("in" + inputFormat);
        if (inputFormat == ".csv")
        {
            WriteCsv(input, header, rows);
        }
        else
        {
            await WriteParquetAsync(input, header, rows, rowGroupRows: 128);
        }

        var output = temp.Combine("out" + outputFormat);
        var result = await BatchScorer.ScoreAsync(runtime, input, output, new BatchScoringOptions { ChunkRows = 64, Workers = 2 }, null, CancellationToken.None);

        Assert.Equal(300, result.Rows);
        Assert.Equal(inputFormat == ".csv" ? 5 : 3, result.Chunks);
        var table = outputFormat == ".csv" ? ReadCsv(output) : await ReadParquetAsync(output);
        Assert.Equal(PredictionColumns, table.Columns);
        AssertMatches(Expected(runtime, rows), table);
        Assert.False(File.Exists(output + ".partial"));
    }

    [Fact]
    public async Task Parquet_output_has_an_int64_label_and_float_probabilities()
    {
        using var runtime = Iris(columns: false);
        var input = temp.Combine("in.csv");
        WriteCsv(input, IrisColumns, Rows(10));
        var output = temp.Combine("out.parquet");

        await BatchScorer.ScoreAsync(runtime, input, output, new BatchScoringOptions(), null, CancellationToken.None);

        await using var stream = File.OpenRead(output);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.GetDataFields();
        Assert.Equal(PredictionColumns, fields.Select(f => f.Name));
        Assert.Equal(typeof(long), fields[0].ClrType);
        Assert.All(fields.Skip(1), f => Assert.Equal(typeof(float), f.ClrType));
        Assert.All(fields, f => Assert.False(f.IsNullable));
    }

    [Fact]
    public async Task A_file_of_many_chunks_scored_by_two_workers_keeps_row_order_and_reports_progress()
    {
        using var runtime = Iris(columns: false);

        // Rows in a shuffled order, so any reordering of chunks changes the labels read back.
        var random = new Random(7);
        var rows = Rows(1000).OrderBy(_ => random.Next()).ToArray();
        var input = temp.Combine("in.csv");
        WriteCsv(input, IrisColumns, rows);
        var output = temp.Combine("out.parquet");
        var progress = new RecordingProgress();

        var result = await BatchScorer.ScoreAsync(runtime, input, output, new BatchScoringOptions { ChunkRows = 7, Workers = 2 }, progress, CancellationToken.None);

        Assert.Equal(1000, result.Rows);
        Assert.Equal(143, result.Chunks);
        AssertMatches(Expected(runtime, rows), await ReadParquetAsync(output));
        Assert.Equal(143, progress.Reports.Count);
        Assert.Equal(1000, progress.Reports[^1].Rows);
        Assert.Equal(1.0, progress.Reports[^1].Fraction);
        Assert.True(progress.Reports.Zip(progress.Reports.Skip(1)).All(p => p.First.Rows < p.Second.Rows && p.First.Fraction <= p.Second.Fraction));
    }

    [Fact]
    public async Task A_csv_header_with_spaces_and_semicolons_in_column_names_is_still_comma_separated()
    {
        var rows = Rows(20);
        var output = temp.Combine("out.csv");
        using (var runtime = Iris(columns: false))
        {
            var input = temp.Combine("in.csv");
            WriteCsv(input, ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"], rows);

            await BatchScorer.ScoreAsync(runtime, input, output, new BatchScoringOptions(), null, CancellationToken.None);

            AssertMatches(Expected(runtime, rows), ReadCsv(output));
        }

        // More semicolons than commas in the header: still one column per comma.
        using (var runtime = Iris(columns: true))
        {
            var input = temp.Combine("notes.csv");
            WriteCsv(input, [.. IrisColumns, "notes;by;the;team;lead"], rows);

            await BatchScorer.ScoreAsync(runtime, input, output, new BatchScoringOptions(), null, CancellationToken.None);

            AssertMatches(Expected(runtime, rows), ReadCsv(output));
        }
    }

    [Fact]
    public async Task An_integer_column_model_scores_csv_and_parquet_as_the_runtime_does()
    {
        using var runtime = ModelRuntimes.Load(TestPackages.Package(temp, CountsModel.Build(temp.Path)), "counts", "1", new RuntimeOptions());
        Assert.Equal(["Count:Int32", "Size:Float32"], runtime.Contract.Inputs.Select(i => $"{i.Name}:{i.Type}"));
        var counts = Enumerable.Range(0, 50).Select(i => i % 10).ToArray();
        var sizes = Enumerable.Range(0, 50).Select(i => i / 50f).ToArray();
        var expected = runtime.Run(new InferenceRequest(
            [new Tensor("Count", TensorType.Int32, [50], counts), new Tensor("Size", TensorType.Float32, [50], sizes)], 50));
        var score = expected.Single(o => o.Name == "Score").As<float>();

        var csv = temp.Combine("in.csv");
        File.WriteAllLines(csv, ["Size,Count", .. counts.Select((c, i) => FormattableString.Invariant($"{sizes[i]},{c}"))]);
        var csvOutput = temp.Combine("out.csv");
        await BatchScorer.ScoreAsync(runtime, csv, csvOutput, new BatchScoringOptions { ChunkRows = 16 }, null, CancellationToken.None);
        var lines = File.ReadAllLines(csvOutput);
        var scoreIndex = Array.IndexOf(lines[0].Split(','), "Score");
        Assert.True(scoreIndex >= 0, lines[0]);
        Assert.Equal(score, lines.Skip(1).Select(l => float.Parse(l.Split(',')[scoreIndex], CultureInfo.InvariantCulture)));

        var parquet = temp.Combine("in.parquet");
        var countField = new DataField<int>("Count");
        var sizeField = new DataField<float>("Size");
        await using (var stream = File.Create(parquet))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(countField, sizeField), stream))
        using (var group = writer.CreateRowGroup())
        {
            await group.WriteAsync(countField, new ReadOnlyMemory<int>(counts));
            await group.WriteAsync(sizeField, new ReadOnlyMemory<float>(sizes));
        }

        var parquetOutput = temp.Combine("out.parquet");
        await BatchScorer.ScoreAsync(runtime, parquet, parquetOutput, new BatchScoringOptions(), null, CancellationToken.None);
        var columns = await ReadParquetColumnsAsync(parquetOutput);
        Assert.Equal(score, (float[])columns["Score"]);
    }

    [Fact]
    public async Task A_missing_input_file_or_an_unknown_extension_fails_before_writing()
    {
        using var runtime = Iris(columns: false);
        var output = temp.Combine("out.parquet");

        var missing = await Assert.ThrowsAsync<BatchScoringException>(() => ScoreAsync(runtime, temp.Combine("nope.csv"), output));
        Assert.Contains("nope.csv", missing.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);

        var text = temp.Combine("in.txt");
        WriteCsv(text, IrisColumns, Rows(3));
        var input = await Assert.ThrowsAsync<BatchScoringException>(() => ScoreAsync(runtime, text, output));
        Assert.Contains("in.txt", input.Message, StringComparison.Ordinal);
        Assert.Contains(".csv or .parquet", input.Message, StringComparison.Ordinal);

        var csv = temp.Combine("in.csv");
        WriteCsv(csv, IrisColumns, Rows(3));
        var json = temp.Combine("out.json");
        var outputError = await Assert.ThrowsAsync<BatchScoringException>(() => ScoreAsync(runtime, csv, json));
        Assert.Contains("out.json", outputError.Message, StringComparison.Ordinal);

        AssertNothingWritten(output);
        AssertNothingWritten(json);
    }

    [Fact]
    public async Task A_missing_required_column_is_named()
    {
        using var runtime = Iris(columns: true);
        var input = temp.Combine("in.csv");
        WriteCsv(input, ["sepal_length", "sepal_width", "petal_length"], Rows(5).Select(r => r[..3]).ToArray());
        var output = temp.Combine("out.csv");

        var error = await Assert.ThrowsAsync<BatchScoringException>(() => ScoreAsync(runtime, input, output));

        Assert.Contains("'petal_width'", error.Message, StringComparison.Ordinal);
        AssertNothingWritten(output);
    }

    [Fact]
    public async Task A_one_column_csv_is_read_as_one_column()
    {
        using var runtime = ModelRuntimes.Load(TestPackages.Package(temp, CountsModel.Build(temp.Path)), "counts", "1", new RuntimeOptions());
        var input = temp.Combine("in.csv");
        File.WriteAllLines(input, ["Size", "0.5", "0.25"]);
        var output = temp.Combine("out.csv");

        var error = await Assert.ThrowsAsync<BatchScoringException>(() => ScoreAsync(runtime, input, output));

        Assert.Contains("no column 'Count'", error.Message, StringComparison.Ordinal);
        Assert.Contains("file columns: Size)", error.Message, StringComparison.Ordinal);
        AssertNothingWritten(output);
    }

    [Fact]
    public async Task A_non_numeric_cell_deep_in_the_file_names_its_row_and_column_and_leaves_no_output()
    {
        using var runtime = Iris(columns: true);
        var input = temp.Combine("in.csv");
        var lines = new List<string> { string.Join(',', IrisColumns) };
        lines.AddRange(Rows(1000).Select(r => string.Join(',', r.Select(v => v.ToString(CultureInfo.InvariantCulture)))));
        lines[501] = "5.1,3.5,abc,0.2";
        File.WriteAllLines(input, lines);
        var output = temp.Combine("out.parquet");

        // Earlier chunks are already written to the partial file when the bad row is reached.
        var error = await Assert.ThrowsAsync<BatchScoringException>(() => BatchScorer.ScoreAsync(
            runtime, input, output, new BatchScoringOptions { ChunkRows = 7, Workers = 2 }, null, CancellationToken.None));

        Assert.Contains("row 501", error.Message, StringComparison.Ordinal);
        Assert.Contains("'petal_length'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'abc'", error.Message, StringComparison.Ordinal);
        AssertNothingWritten(output);
    }

    [Fact]
    public async Task A_fraction_in_an_integer_column_is_refused()
    {
        using var runtime = ModelRuntimes.Load(TestPackages.Package(temp, CountsModel.Build(temp.Path)), "counts", "1", new RuntimeOptions());
        var input = temp.Combine("in.csv");
        File.WriteAllLines(input, ["Count,Size", "1,0.5", "2.5,0.25"]);
        var output = temp.Combine("out.csv");

        var error = await Assert.ThrowsAsync<BatchScoringException>(() => ScoreAsync(runtime, input, output));

        Assert.Contains("row 2, column 'Count'", error.Message, StringComparison.Ordinal);
        Assert.Contains("int32", error.Message, StringComparison.Ordinal);
        AssertNothingWritten(output);
    }

    [Fact]
    public async Task An_empty_csv_or_one_with_only_a_header_is_refused()
    {
        using var runtime = Iris(columns: false);
        var empty = temp.Combine("empty.csv");
        await File.WriteAllTextAsync(empty, string.Empty);
        var output = temp.Combine("out.parquet");

        var error = await Assert.ThrowsAsync<BatchScoringException>(() => ScoreAsync(runtime, empty, output));
        Assert.Contains("empty.csv", error.Message, StringComparison.Ordinal);
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
        AssertNothingWritten(output);

        var headerOnly = temp.Combine("header.csv");
        WriteCsv(headerOnly, IrisColumns, []);
        var noRows = await Assert.ThrowsAsync<BatchScoringException>(() => ScoreAsync(runtime, headerOnly, output));
        Assert.Contains("header.csv", noRows.Message, StringComparison.Ordinal);
        Assert.Contains("no rows", noRows.Message, StringComparison.Ordinal);
        AssertNothingWritten(output);
    }

    [Fact]
    public async Task A_null_in_a_parquet_integer_column_is_named()
    {
        using var runtime = ModelRuntimes.Load(TestPackages.Package(temp, CountsModel.Build(temp.Path)), "counts", "1", new RuntimeOptions());
        var input = temp.Combine("in.parquet");
        var countField = new DataField<int?>("Count");
        var sizeField = new DataField<float>("Size");
        await using (var stream = File.Create(input))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(countField, sizeField), stream))
        using (var group = writer.CreateRowGroup())
        {
            await group.WriteAsync(countField, new ReadOnlyMemory<int?>([1, 2, null, 4]));
            await group.WriteAsync(sizeField, new ReadOnlyMemory<float>([0.1f, 0.2f, 0.3f, 0.4f]));
        }

        var output = temp.Combine("out.parquet");

        var error = await Assert.ThrowsAsync<BatchScoringException>(() => ScoreAsync(runtime, input, output));

        Assert.Contains("row 3, column 'Count' is null", error.Message, StringComparison.Ordinal);
        AssertNothingWritten(output);
    }

    [Fact]
    public async Task A_corrupt_parquet_file_is_refused_and_an_existing_output_is_kept()
    {
        using var runtime = Iris(columns: false);
        var good = temp.Combine("good.parquet");
        await WriteParquetAsync(good, IrisColumns, Rows(100), rowGroupRows: 100);
        var bytes = await File.ReadAllBytesAsync(good);
        var corrupt = temp.Combine("corrupt.parquet");
        await File.WriteAllBytesAsync(corrupt, bytes[..(bytes.Length / 2)]);
        var garbage = temp.Combine("garbage.parquet");
        await File.WriteAllTextAsync(garbage, "label,probability\n1,0.5\n");
        var output = temp.Combine("out.csv");
        await File.WriteAllTextAsync(output, "previous results");

        foreach (var path in new[] { corrupt, garbage })
        {
            var error = await Assert.ThrowsAsync<BatchScoringException>(() => ScoreAsync(runtime, path, output));
            Assert.Contains(Path.GetFileName(path), error.Message, StringComparison.Ordinal);
            Assert.Contains("Parquet", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal("previous results", await File.ReadAllTextAsync(output));
        Assert.False(File.Exists(output + ".partial"));
    }

    private static Task<BatchScoringResult> ScoreAsync(IModelRuntime runtime, string input, string output) =>
        BatchScorer.ScoreAsync(runtime, input, output, new BatchScoringOptions(), null, CancellationToken.None);

    private static void AssertNothingWritten(string output)
    {
        Assert.False(File.Exists(output), $"{output} was left behind");
        Assert.False(File.Exists(output + ".partial"), $"{output}.partial was left behind");
    }

    /// <summary>What the runtime answers for <paramref name="rows"/> in one request, bound as its contract says.</summary>
    private static PredictionTable Expected(IModelRuntime runtime, float[][] rows)
    {
        var contract = runtime.Contract;
        Tensor[] inputs = contract.IsTabular
            ? [.. contract.Inputs.Select(i => new Tensor(i.Name, TensorType.Float32, [rows.Length], rows.Select(r => r[Array.IndexOf(IrisColumns, i.Name)]).ToArray()))]
            : [new Tensor(contract.Inputs[0].Name, TensorType.Float32, [rows.Length, 4], rows.SelectMany(r => r).ToArray())];
        var outputs = runtime.Run(new InferenceRequest(inputs, rows.Length));
        var labels = outputs.Single(o => o.Name == "label").As<long>();
        var probabilities = outputs.Single(o => o.Name == "probabilities").As<float>();
        return new PredictionTable(PredictionColumns, labels, [.. Enumerable.Range(0, rows.Length).Select(r => probabilities.AsSpan(r * 3, 3).ToArray())]);
    }

    private static void AssertMatches(PredictionTable expected, PredictionTable actual)
    {
        Assert.Equal(expected.Labels.Length, actual.Labels.Length);
        for (var r = 0; r < expected.Labels.Length; r++)
        {
            Assert.True(expected.Labels[r] == actual.Labels[r], $"row {r + 1}: label {actual.Labels[r]}, expected {expected.Labels[r]}");
            Assert.True(expected.Probabilities[r].AsSpan().SequenceEqual(actual.Probabilities[r]), $"row {r + 1}: probabilities differ");
        }
    }

    private static void WriteCsv(string path, IReadOnlyList<string> header, float[][] rows)
    {
        // Rows hold the iris columns in IrisColumns order; each file column takes its own (an unknown one is the row number).
        using var writer = new StreamWriter(path);
        writer.WriteLine(string.Join(',', header.Select(h => h.Contains(',', StringComparison.Ordinal) ? $"\"{h}\"" : h)));
        for (var r = 0; r < rows.Length; r++)
        {
            writer.WriteLine(string.Join(',', header.Select((h, c) => Cell(header, rows[r], r, c).ToString(CultureInfo.InvariantCulture))));
        }
    }

    private static float Cell(IReadOnlyList<string> header, float[] row, int rowIndex, int column)
    {
        var index = Array.IndexOf(IrisColumns, header[column]);
        if (index >= 0)
        {
            return row[index];
        }

        // Headers that do not name iris columns (an identifier, or other names in the iris order).
        return header.Count == row.Length ? row[column] : rowIndex;
    }

    private static async Task WriteParquetAsync(string path, IReadOnlyList<string> header, float[][] rows, int rowGroupRows)
    {
        var fields = header.Select(h => new DataField<float>(h)).ToArray();
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        for (var start = 0; start < rows.Length; start += rowGroupRows)
        {
            var count = Math.Min(rowGroupRows, rows.Length - start);
            using var group = writer.CreateRowGroup();
            for (var c = 0; c < fields.Length; c++)
            {
                var values = new float[count];
                for (var r = 0; r < count; r++)
                {
                    values[r] = Cell(header, rows[start + r], start + r, c);
                }

                await group.WriteAsync(fields[c], new ReadOnlyMemory<float>(values));
            }
        }
    }

    private static PredictionTable ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        var labels = new long[lines.Length - 1];
        var probabilities = new float[lines.Length - 1][];
        for (var r = 1; r < lines.Length; r++)
        {
            var cells = lines[r].Split(',');
            labels[r - 1] = long.Parse(cells[0], CultureInfo.InvariantCulture);
            probabilities[r - 1] = [.. cells.Skip(1).Select(c => float.Parse(c, CultureInfo.InvariantCulture))];
        }

        return new PredictionTable(header, labels, probabilities);
    }

    private static async Task<PredictionTable> ReadParquetAsync(string path)
    {
        var columns = await ReadParquetColumnsAsync(path);
        var labels = (long[])columns["label"];
        var probabilities = Enumerable.Range(0, labels.Length)
            .Select(r => new[] { ((float[])columns["probabilities_0"])[r], ((float[])columns["probabilities_1"])[r], ((float[])columns["probabilities_2"])[r] })
            .ToArray();
        return new PredictionTable([.. columns.Keys], labels, probabilities);
    }

    /// <summary>Every column of a Parquet file, row groups concatenated, in schema order.</summary>
    private static async Task<OrderedDictionary<string, Array>> ReadParquetColumnsAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.GetDataFields();
        var parts = fields.ToDictionary(f => f.Name, _ => new List<Array>());
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var rows = (int)group.RowCount;
            foreach (var field in fields)
            {
                Array values = field.ClrType == typeof(long) ? new long[rows] : new float[rows];
                if (values is long[] longs)
                {
                    await group.ReadAsync(field, longs.AsMemory());
                }
                else
                {
                    await group.ReadAsync(field, ((float[])values).AsMemory());
                }

                parts[field.Name].Add(values);
            }
        }

        var columns = new OrderedDictionary<string, Array>();
        foreach (var field in fields)
        {
            var all = parts[field.Name];
            var total = all.Sum(a => a.Length);
            var column = Array.CreateInstance(field.ClrType, total);
            var offset = 0;
            foreach (var part in all)
            {
                Array.Copy(part, 0, column, offset, part.Length);
                offset += part.Length;
            }

            columns.Add(field.Name, column);
        }

        return columns;
    }

    private sealed record PredictionTable(IReadOnlyList<string> Columns, long[] Labels, float[][] Probabilities);

    /// <summary>Records reports as they are made (<see cref="Progress{T}"/> would post them later to the thread pool).</summary>
    private sealed class RecordingProgress : IProgress<BatchProgress>
    {
        public List<BatchProgress> Reports { get; } = [];

        public void Report(BatchProgress value) => Reports.Add(value);
    }
}

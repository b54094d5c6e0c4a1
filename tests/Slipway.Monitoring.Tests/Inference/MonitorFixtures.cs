using Parquet;
using Parquet.Schema;
using Slipway.Core.Signatures;
using Slipway.Monitoring.Inference;
using Slipway.Serving;
using Slipway.Serving.Tensors;

namespace Slipway.Monitoring.Tests.Inference;

/// <summary>Contracts built as the runtimes build them, records as the scoring path makes them, and Parquet read-back.</summary>
internal static class MonitorFixtures
{
    public static readonly DateTimeOffset Start = new(2026, 11, 26, 10, 15, 0, TimeSpan.Zero);

    /// <summary>Iris as a table: four float32 columns; outputs label (int64) and probabilities (float32 [-1, 3]).</summary>
    public static ModelContract Iris(string version = "1")
    {
        string[] names = ["sepal_length", "sepal_width", "petal_length", "petal_width"];
        var signature = new ModelSignature(SignatureSchema.FromColumns(names.Select(n => new ColumnSpec(ColumnType.Float, n))), null);
        return new ModelContract(
            "iris", version, "onnxruntime_onnx", signature,
            names.Select(n => new TensorInfo(n, TensorType.Float32, [-1])).ToArray(),
            [new TensorInfo("label", TensorType.Int64, [-1]), new TensorInfo("probabilities", TensorType.Float32, [-1, 3])],
            null);
    }

    /// <summary>A table of mixed types: x (double), n (long), city (string), flag (bool); output variable (double).</summary>
    public static ModelContract Mixed(string version = "1")
    {
        var columns = new[]
        {
            new ColumnSpec(ColumnType.Double, "x"),
            new ColumnSpec(ColumnType.Long, "n"),
            new ColumnSpec(ColumnType.String, "city"),
            new ColumnSpec(ColumnType.Boolean, "flag"),
        };
        return new ModelContract(
            "mixed", version, "mlnet", new ModelSignature(SignatureSchema.FromColumns(columns), null),
            [
                new TensorInfo("x", TensorType.Float64, [-1]),
                new TensorInfo("n", TensorType.Int64, [-1]),
                new TensorInfo("city", TensorType.String, [-1]),
                new TensorInfo("flag", TensorType.Bool, [-1]),
            ],
            [new TensorInfo("variable", TensorType.Float64, [-1])],
            null);
    }

    /// <summary>An image-like tensor model: pixels float32 [-1, 8, 8] (too large to log), output scores float32 [-1, 2].</summary>
    public static ModelContract Image()
    {
        var signature = new ModelSignature(SignatureSchema.FromTensors([new TensorSpec("float32", [-1, 8, 8], "pixels")]), null);
        return new ModelContract(
            "image", "1", "onnxruntime_onnx", signature,
            [new TensorInfo("pixels", TensorType.Float32, [-1, 8, 8])],
            [new TensorInfo("scores", TensorType.Float32, [-1, 2])],
            null);
    }

    /// <summary>An iris request of <paramref name="rows"/> rows whose values follow the row and <paramref name="seed"/>.</summary>
    public static InferenceRecord IrisRecord(string id, DateTimeOffset at, int rows = 1, int seed = 0, ModelContract? contract = null, string? alias = "champion")
    {
        contract ??= Iris();
        var inputs = new Tensor[4];
        for (var c = 0; c < 4; c++)
        {
            var values = new float[rows];
            for (var r = 0; r < rows; r++)
            {
                values[r] = (seed * 0.5f) + c + (r * 0.25f);
            }

            inputs[c] = new Tensor(contract.Inputs[c].Name, TensorType.Float32, [rows], values);
        }

        var labels = new long[rows];
        var probabilities = new float[rows * 3];
        for (var r = 0; r < rows; r++)
        {
            labels[r] = (seed + r) % 3;
            probabilities[(r * 3) + (int)labels[r]] = 0.75f;
            probabilities[(r * 3) + ((int)(labels[r] + 1) % 3)] = 0.25f;
        }

        Tensor[] outputs = [new Tensor("label", TensorType.Int64, [rows], labels), new Tensor("probabilities", TensorType.Float32, [rows, 3], probabilities)];
        return new InferenceRecord(contract, alias, id, "mlflow", at, 0.001 * (seed + 1), inputs, outputs, rows);
    }

    public static InferenceRecord MixedRecord(string id, DateTimeOffset at, double[] x, long[] n, string?[] city, bool[] flag, double[] variable) =>
        new(Mixed(), null, id, "v2", at, 0.5,
            [
                new Tensor("x", TensorType.Float64, [x.Length], x),
                new Tensor("n", TensorType.Int64, [n.Length], n),
                new Tensor("city", TensorType.String, [city.Length], city),
                new Tensor("flag", TensorType.Bool, [flag.Length], flag),
            ],
            [new Tensor("variable", TensorType.Float64, [variable.Length], variable)],
            x.Length);

    /// <summary>The completed Parquet files under a monitoring directory's log, relative paths with '/' separators.</summary>
    public static string[] Files(string directory, string log) =>
        Directory.Exists(Path.Combine(directory, log))
            ? Directory.GetFiles(Path.Combine(directory, log), "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(Path.Combine(directory, log), f).Replace('\\', '/'))
                .Order(StringComparer.Ordinal)
                .ToArray()
            : [];

    /// <summary>Reads every column of a Parquet file into arrays by column name (all row groups concatenated).</summary>
    public static async Task<(ParquetSchema Schema, Dictionary<string, Array> Columns, ParquetReader Reader)> ReadAsync(string path)
    {
        var reader = await ParquetReader.CreateAsync(path);
        var columns = new Dictionary<string, List<object?>>();
        var fields = reader.Schema.GetDataFields();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            foreach (var field in fields)
            {
                var values = ToObjects(group, field);
                if (!columns.TryGetValue(field.Name, out var list))
                {
                    columns[field.Name] = list = [];
                }

                list.AddRange(await values);
            }
        }

        return (reader.Schema, columns.ToDictionary(c => c.Key, c => (Array)c.Value.ToArray()), reader);
    }

    private static async Task<object?[]> ToObjects(ParquetRowGroupReader group, DataField field)
    {
        var rows = checked((int)group.RowCount);
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            var strings = new string?[rows];
            await group.ReadAsync(field, strings.AsMemory());
            return strings;
        }

        return type switch
        {
            _ when type == typeof(double) => await Read<double>(group, field, rows),
            _ when type == typeof(float) => await Read<float>(group, field, rows),
            _ when type == typeof(long) => await Read<long>(group, field, rows),
            _ when type == typeof(int) => await Read<int>(group, field, rows),
            _ when type == typeof(bool) => await Read<bool>(group, field, rows),
            _ when type == typeof(DateTime) => await Read<DateTime>(group, field, rows),
            _ => throw new NotSupportedException(type.Name),
        };
    }

    private static async Task<object?[]> Read<T>(ParquetRowGroupReader group, DataField field, int rows)
        where T : struct
    {
        if (field.IsNullable)
        {
            var values = new T?[rows];
            await group.ReadAsync(field, values.AsMemory());
            return values.Select(v => (object?)v).ToArray();
        }

        var required = new T[rows];
        await group.ReadAsync(field, required.AsMemory());
        return required.Select(v => (object?)v).ToArray();
    }
}

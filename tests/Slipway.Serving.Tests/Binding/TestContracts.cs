using Slipway.Core.Signatures;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Tests.Binding;

/// <summary>Model contracts built directly, as runtimes build them, for codec and binder tests.</summary>
internal static class TestContracts
{
    /// <summary>A table: a (double), b (long), c (float), name (string), opt (optional double).</summary>
    public static ModelContract Table(string? paramsJson = null)
    {
        var columns = new[]
        {
            new ColumnSpec(ColumnType.Double, "a"),
            new ColumnSpec(ColumnType.Long, "b"),
            new ColumnSpec(ColumnType.Float, "c"),
            new ColumnSpec(ColumnType.String, "name"),
            new ColumnSpec(ColumnType.Double, "opt", Required: false),
        };
        var signature = new ModelSignature(SignatureSchema.FromColumns(columns), null, paramsJson);
        return new ModelContract(
            "table", "1", "onnxruntime_onnx", signature,
            [
                new TensorInfo("a", TensorType.Float64, [-1]),
                new TensorInfo("b", TensorType.Int64, [-1]),
                new TensorInfo("c", TensorType.Float32, [-1]),
                new TensorInfo("name", TensorType.String, [-1]),
                new TensorInfo("opt", TensorType.Float64, [-1], Optional: true),
            ],
            [new TensorInfo("label", TensorType.Int64, [-1]), new TensorInfo("probabilities", TensorType.Float32, [-1, 3])],
            null);
    }

    /// <summary>Iris as a table of four float columns, outputs label and probabilities.</summary>
    public static ModelContract IrisTable()
    {
        string[] names = ["sepal_length", "sepal_width", "petal_length", "petal_width"];
        var signature = new ModelSignature(SignatureSchema.FromColumns(names.Select(n => new ColumnSpec(ColumnType.Float, n))), null);
        return new ModelContract(
            "iris", "1", "onnxruntime_onnx", signature,
            names.Select(n => new TensorInfo(n, TensorType.Float32, [-1])).ToArray(),
            [new TensorInfo("label", TensorType.Int64, [-1]), new TensorInfo("probabilities", TensorType.Float32, [-1, 3])],
            null);
    }

    /// <summary>One float32 [-1, 4] tensor; <paramref name="named"/> decides whether the signature names it.</summary>
    public static ModelContract IrisTensor(bool named = true)
    {
        var signature = new ModelSignature(SignatureSchema.FromTensors([new TensorSpec("float32", [-1, 4], named ? "float_input" : null)]), null);
        return new ModelContract(
            "iris-tensor", "1", "onnxruntime_onnx", signature,
            [new TensorInfo("float_input", TensorType.Float32, [-1, 4])],
            [new TensorInfo("label", TensorType.Int64, [-1]), new TensorInfo("probabilities", TensorType.Float32, [-1, 3])],
            null);
    }

    /// <summary>Two named tensors: x float32 [-1, 2, 2] and k int32 [-1].</summary>
    public static ModelContract TwoTensors()
    {
        var signature = new ModelSignature(SignatureSchema.FromTensors([new TensorSpec("float32", [-1, 2, 2], "x"), new TensorSpec("int32", [-1], "k")]), null);
        return new ModelContract(
            "two", "1", "onnxruntime_onnx", signature,
            [new TensorInfo("x", TensorType.Float32, [-1, 2, 2]), new TensorInfo("k", TensorType.Int32, [-1])],
            [new TensorInfo("y", TensorType.Float32, [-1, 2])],
            null);
    }

    public static Tensor Doubles(string name, params double[] values) => new(name, TensorType.Float64, [values.Length], values);

    public static Tensor Longs(string name, params long[] values) => new(name, TensorType.Int64, [values.Length], values);

    public static Tensor Strings(string name, params string?[] values) => new(name, TensorType.String, [values.Length], values);
}

using Slipway.Core.Signatures;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Tests.V2;

/// <summary>Model contracts shaped like the served test models: a tensor model (the wire log's iris) and a column model.</summary>
internal static class TestContracts
{
    /// <summary>The wire log's iris: one FP32 [-1, 4] input, outputs label INT64 [-1] and proba FP32 [-1, 3].</summary>
    public static ModelContract IrisTensor(string? inputExample = null) => new(
        "iris",
        "1",
        "sklearn",
        new ModelSignature(
            SignatureSchema.FromTensors([new TensorSpec("float32", [-1, 4], "input-0")]),
            SignatureSchema.FromTensors([new TensorSpec("int64", [-1], "label"), new TensorSpec("float32", [-1, 3], "proba")])),
        [new TensorInfo("input-0", TensorType.Float32, [-1, 4])],
        [new TensorInfo("label", TensorType.Int64, [-1]), new TensorInfo("proba", TensorType.Float32, [-1, 3])],
        inputExample);

    /// <summary>A column model: four double columns (the last optional), a long and a string column; one output.</summary>
    public static ModelContract Columns(string? inputExample = null) => new(
        "adult",
        "3",
        "onnxruntime_onnx",
        new ModelSignature(
            SignatureSchema.FromColumns(
            [
                new ColumnSpec(ColumnType.Double, "age"),
                new ColumnSpec(ColumnType.Long, "hours"),
                new ColumnSpec(ColumnType.String, "education"),
                new ColumnSpec(ColumnType.Double, "gain", Required: false),
            ]),
            SignatureSchema.FromTensors([new TensorSpec("int64", [-1], "label")])),
        [
            new TensorInfo("age", TensorType.Float64, [-1]),
            new TensorInfo("hours", TensorType.Int64, [-1]),
            new TensorInfo("education", TensorType.String, [-1]),
            new TensorInfo("gain", TensorType.Float64, [-1], Optional: true),
        ],
        [new TensorInfo("label", TensorType.Int64, [-1])],
        inputExample);
}

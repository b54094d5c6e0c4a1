using Slipway.Core.Signatures;
using Slipway.Serving.Tensors;

namespace Slipway.Serving;

/// <summary>
/// What callers and codecs need to know about one loaded model version: its MLflow signature and the inputs and
/// outputs in serving terms. Column-based signatures list one input per column (shape <c>[-1]</c>); tensor-based
/// ones list the tensors. Runtimes build it when they load a model; codecs bind requests against it.
/// </summary>
/// <param name="Name">The served model's name (the registered model name).</param>
/// <param name="Version">The registry version being served, e.g. <c>3</c>.</param>
/// <param name="Platform">The runtime, e.g. <c>onnxruntime_onnx</c> or <c>mlnet</c> (the V2 metadata <c>platform</c>).</param>
/// <param name="Signature">The package's signature, or one read from the model itself when the package has none.</param>
/// <param name="Inputs">What requests must supply, in signature order.</param>
/// <param name="Outputs">What the model returns, in model order.</param>
/// <param name="InputExampleJson">The package's <c>input_example.json</c> (MLflow JSON), or null.</param>
public sealed record ModelContract(
    string Name,
    string Version,
    string Platform,
    ModelSignature Signature,
    IReadOnlyList<TensorInfo> Inputs,
    IReadOnlyList<TensorInfo> Outputs,
    string? InputExampleJson)
{
    /// <summary>Whether the signature is column-based (a table) rather than tensor-based.</summary>
    public bool IsTabular => Signature.Inputs is { IsTensorBased: false };

    /// <summary>Whether every input and output has a variable first dimension, so requests can be merged row-wise.</summary>
    public bool IsBatchable => Inputs.All(i => i.HasBatchDimension) && Outputs.All(o => o.HasBatchDimension);
}

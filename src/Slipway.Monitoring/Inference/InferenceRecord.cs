using Slipway.Serving;
using Slipway.Serving.Tensors;

namespace Slipway.Monitoring.Inference;

/// <summary>
/// One answered request as the monitor sees it. The tensors are kept by reference, not copied: serving allocates
/// fresh arrays for every decoded request and every result (the only pooled buffers are internal to the codecs and
/// runtimes and never escape into <see cref="Tensor.Data"/>), and nobody changes them once the request is answered.
/// </summary>
/// <param name="Contract">The version that answered (<see cref="InferenceResult.Contract"/>).</param>
/// <param name="Alias">The alias the request named (e.g. <c>champion</c>), or null when it named a version.</param>
/// <param name="RequestId">The request id, which feedback names later.</param>
/// <param name="Protocol">The protocol the request came in: <c>mlflow</c> or <c>v2</c>.</param>
/// <param name="Timestamp">When the request was answered.</param>
/// <param name="LatencySeconds">How long the request took, in seconds.</param>
/// <param name="Inputs">The bound request inputs (<see cref="InferenceRequest.Inputs"/>).</param>
/// <param name="Outputs">The result outputs (<see cref="InferenceResult.Outputs"/>).</param>
/// <param name="Rows">The rows of the request (<see cref="InferenceRequest.Rows"/>).</param>
public sealed record InferenceRecord(
    ModelContract Contract,
    string? Alias,
    string RequestId,
    string Protocol,
    DateTimeOffset Timestamp,
    double LatencySeconds,
    IReadOnlyList<Tensor> Inputs,
    IReadOnlyList<Tensor> Outputs,
    long Rows)
{
    /// <summary>The registered model name.</summary>
    public string Model => Contract.Name;

    /// <summary>The model version that answered.</summary>
    public string Version => Contract.Version;
}

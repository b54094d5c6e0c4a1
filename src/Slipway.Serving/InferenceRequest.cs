using Slipway.Serving.Tensors;

namespace Slipway.Serving;

/// <summary>
/// One prediction request after decoding and binding: inputs named and typed exactly as the model's
/// <see cref="ModelContract.Inputs"/> (one tensor per column for tables), all with the same first dimension.
/// </summary>
/// <param name="Inputs">The bound inputs.</param>
/// <param name="Rows">The first dimension shared by every input.</param>
/// <param name="Outputs">The outputs asked for, or null for all.</param>
public sealed record InferenceRequest(IReadOnlyList<Tensor> Inputs, long Rows, IReadOnlyList<string>? Outputs = null);

/// <summary>What a model returned for one request: the outputs (all, or those asked for) in model order.</summary>
/// <param name="Outputs">The output tensors; for a batchable model each has <see cref="InferenceRequest.Rows"/> rows.</param>
/// <param name="Contract">The version that answered (after a hot swap it may differ from the one a caller saw before).</param>
public sealed record InferenceResult(IReadOnlyList<Tensor> Outputs, ModelContract Contract);

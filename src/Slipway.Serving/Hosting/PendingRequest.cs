using Slipway.Serving.Tensors;

namespace Slipway.Serving.Hosting;

/// <summary>
/// A request waiting in a model's queue; completes with its outputs. Continuations run asynchronously so that the
/// worker completing a batch never runs a caller's response writing on its own thread.
/// </summary>
internal sealed class PendingRequest(InferenceRequest request)
    : TaskCompletionSource<IReadOnlyList<Tensor>>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    /// <summary>The bound request.</summary>
    public InferenceRequest Request { get; } = request;
}

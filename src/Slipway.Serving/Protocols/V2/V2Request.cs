namespace Slipway.Serving.Protocols.V2;

/// <summary>A V2 inference request bound to a model: what the host runs and what the response writer needs.</summary>
/// <param name="Request">The inputs bound to the model's <see cref="ModelContract.Inputs"/>, with the outputs asked for.</param>
/// <param name="Id">The request's <c>id</c> to echo, or null.</param>
/// <param name="Outputs">Which outputs to return and which as binary data; pass to <see cref="V2ResponseWriter.Write"/>.</param>
public sealed record V2Request(InferenceRequest Request, string? Id, V2OutputOptions Outputs);

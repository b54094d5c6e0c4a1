using Slipway.Serving.Tensors;

namespace Slipway.Serving.Protocols.V2;

/// <summary>
/// A V2 inference request as read from the wire, before binding to a model: the tensors exactly as the caller typed and
/// shaped them (datatypes from the request, not the model).
/// </summary>
/// <param name="Id">The request's <c>id</c>, echoed in the response; null when absent.</param>
/// <param name="Inputs">The decoded inputs in request order.</param>
/// <param name="Outputs">Which outputs to return and how.</param>
public sealed record V2DecodedRequest(string? Id, IReadOnlyList<Tensor> Inputs, V2OutputOptions Outputs);

namespace Slipway.Serving.Protocols.V2;

/// <summary>One entry of a V2 request's <c>outputs</c> list.</summary>
/// <param name="Name">The output's name.</param>
/// <param name="Binary">The output's <c>parameters.binary_data</c>, or null when not given (the request default applies).</param>
public readonly record struct V2RequestedOutput(string Name, bool? Binary);

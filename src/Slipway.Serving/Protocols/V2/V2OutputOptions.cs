namespace Slipway.Serving.Protocols.V2;

/// <summary>
/// How a V2 response returns outputs: which ones (the request's <c>outputs</c> list, or all when absent) and which as
/// binary tensor data (an output's <c>binary_data</c> parameter, else the request's <c>binary_data_output</c>).
/// </summary>
public sealed class V2OutputOptions
{
    /// <summary>All outputs, as JSON: what a request without <c>outputs</c> or binary parameters gets.</summary>
    public static readonly V2OutputOptions Default = new(null, binaryByDefault: false);

    /// <summary>Creates the options.</summary>
    /// <param name="requested">The request's <c>outputs</c> list, or null for all outputs.</param>
    /// <param name="binaryByDefault">The request's <c>parameters.binary_data_output</c>; default false.</param>
    public V2OutputOptions(IReadOnlyList<V2RequestedOutput>? requested, bool binaryByDefault)
    {
        Requested = requested;
        BinaryByDefault = binaryByDefault;
    }

    /// <summary>The outputs the request named, in its order; null when it named none (all are returned).</summary>
    public IReadOnlyList<V2RequestedOutput>? Requested { get; }

    /// <summary>The request's <c>parameters.binary_data_output</c>: outputs without their own setting come back binary.</summary>
    public bool BinaryByDefault { get; }

    /// <summary>The names of <see cref="Requested"/> for <see cref="InferenceRequest.Outputs"/>, or null for all.</summary>
    public IReadOnlyList<string>? RequestedNames
    {
        get
        {
            if (Requested is null)
            {
                return null;
            }

            var names = new string[Requested.Count];
            for (var i = 0; i < names.Length; i++)
            {
                names[i] = Requested[i].Name;
            }

            return names;
        }
    }

    /// <summary>Whether the response includes <paramref name="outputName"/>.</summary>
    public bool Includes(string outputName) => Requested is null || IndexOf(outputName) >= 0;

    /// <summary>Whether <paramref name="outputName"/> is returned as binary tensor data rather than JSON.</summary>
    public bool IsBinary(string outputName)
    {
        if (Requested is null)
        {
            return BinaryByDefault;
        }

        var index = IndexOf(outputName);
        return index >= 0 && (Requested[index].Binary ?? BinaryByDefault);
    }

    private int IndexOf(string outputName)
    {
        // A handful of outputs at most: a linear scan beats a dictionary here.
        for (var i = 0; i < Requested!.Count; i++)
        {
            if (string.Equals(Requested[i].Name, outputName, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}

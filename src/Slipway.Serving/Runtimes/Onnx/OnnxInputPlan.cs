using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Slipway.Core.Registry;
using Slipway.Core.Signatures;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Runtimes.Onnx;

/// <summary>How one graph input is made from a request's inputs.</summary>
internal enum GraphInputSource
{
    /// <summary>One request input passed as is (a tensor of a tensor-based signature, or a column the graph takes as <c>[N]</c>).</summary>
    Direct,

    /// <summary>One column passed as <c>[N, 1]</c>: the same array under another shape, as ML.NET exports take columns.</summary>
    Column,

    /// <summary>Every column packed into one <c>[N, k]</c> float or double matrix, columns in signature order.</summary>
    Packed,
}

/// <summary>One graph input and the request inputs (indexes into <see cref="ModelContract.Inputs"/>) it is made from.</summary>
/// <param name="Name">The graph input's name.</param>
/// <param name="ElementType">The graph input's element type.</param>
/// <param name="Source">How the request inputs become this graph input.</param>
/// <param name="Sources">The contract inputs used, in order (one unless <see cref="GraphInputSource.Packed"/>).</param>
internal sealed record GraphInput(string Name, TensorElementType ElementType, GraphInputSource Source, int[] Sources);

/// <summary>
/// What requests supply (the contract's inputs) and how those become the ONNX graph's inputs. Columns map onto the
/// graph in one of two ways, as MLflow's ONNX flavor feeds a DataFrame: one graph input per column (ML.NET exports,
/// shapes <c>[-1, 1]</c> or <c>[-1]</c>), or one 2-D float/double input whose columns the signature names.
/// </summary>
internal sealed class OnnxInputPlan
{
    private OnnxInputPlan(TensorInfo[] inputs, GraphInput[] graphInputs)
    {
        Inputs = inputs;
        GraphInputs = graphInputs;
    }

    /// <summary>The contract's inputs.</summary>
    public TensorInfo[] Inputs { get; }

    /// <summary>The graph's inputs in graph order.</summary>
    public GraphInput[] GraphInputs { get; }

    /// <summary>Maps <paramref name="schema"/> onto the graph inputs of <paramref name="session"/>.</summary>
    /// <exception cref="RegistryException">Invalid, naming the input, when the signature does not fit the graph.</exception>
    public static OnnxInputPlan Build(SignatureSchema schema, InferenceSession session)
    {
        var graph = session.InputMetadata.ToArray();
        foreach (var (name, node) in graph)
        {
            if (node.OnnxValueType != OnnxValueType.ONNX_TYPE_TENSOR || OnnxTypes.ToTensorType(node.ElementDataType) is null)
            {
                throw RegistryException.Invalid($"ONNX graph input '{name}' is a {Describe(node)}; only tensor inputs can be served.");
            }
        }

        return schema.IsTensorBased ? FromTensors(schema.Tensors!, graph) : FromColumns(schema.Columns!, graph);
    }

    private static OnnxInputPlan FromTensors(IReadOnlyList<TensorSpec> specs, KeyValuePair<string, NodeMetadata>[] graph)
    {
        var inputs = new TensorInfo[specs.Count];
        var graphInputs = new GraphInput[graph.Length];
        for (var i = 0; i < specs.Count; i++)
        {
            var spec = specs[i];
            var field = $"signature.inputs[{i}]";

            // A single unnamed tensor spec (MLflow's default for one-input models) is the graph's only input.
            var name = spec.Name ?? (graph.Length == 1
                ? graph[0].Key
                : throw RegistryException.Invalid($"{field}: an unnamed tensor spec needs a graph with one input; this graph has {graph.Length} ({Names(graph)})."));
            var index = Array.FindIndex(graph, g => g.Key == name);
            if (index < 0)
            {
                throw RegistryException.Invalid($"{field}: signature input '{name}' is not an input of the ONNX graph ({Names(graph)}).");
            }

            var node = graph[index].Value;
            var type = SignatureTypes.ToTensorType(spec, field);
            if (OnnxTypes.ToElementType(type) != node.ElementDataType)
            {
                throw RegistryException.Invalid($"{field}: signature input '{name}' is {spec.DType} but the ONNX graph takes {node.ElementDataType}.");
            }

            var shape = spec.Shape.Count == 0 && node.Dimensions.Length > 0 ? OnnxTypes.ToShape(node.Dimensions) : spec.Shape.ToArray();
            inputs[i] = new TensorInfo(name, type, shape);
            graphInputs[index] = new GraphInput(name, node.ElementDataType, GraphInputSource.Direct, [i]);
        }

        var missing = Array.FindIndex(graphInputs, g => g is null);
        if (missing >= 0)
        {
            throw RegistryException.Invalid($"signature.inputs: ONNX graph input '{graph[missing].Key}' is not in the signature.");
        }

        return new OnnxInputPlan(inputs, graphInputs);
    }

    private static OnnxInputPlan FromColumns(IReadOnlyList<ColumnSpec> columns, KeyValuePair<string, NodeMetadata>[] graph)
    {
        var inputs = new TensorInfo[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            var column = columns[i];
            var field = $"signature.inputs[{i}]";
            inputs[i] = new TensorInfo(column.Name ?? $"{i}", SignatureTypes.ToTensorType(column, field), [-1], Optional: !column.Required);
        }

        if (graph.Length == columns.Count && Array.TrueForAll(graph, g => Array.Exists(inputs, c => c.Name == g.Key)))
        {
            return new OnnxInputPlan(inputs, OneInputPerColumn(inputs, graph));
        }

        if (graph.Length == 1 && IsMatrix(graph[0].Value, columns.Count))
        {
            var (name, node) = graph[0];
            for (var i = 0; i < inputs.Length; i++)
            {
                if (inputs[i].Type is not (TensorType.Float32 or TensorType.Float64 or TensorType.Int32 or TensorType.Int64))
                {
                    throw RegistryException.Invalid(
                        $"signature.inputs[{i}]: column '{inputs[i].Name}' is {columns[i].Type.ToMlflowName()}, but the columns are packed into the numeric graph input '{name}'.");
                }
            }

            var all = new int[inputs.Length];
            for (var i = 0; i < all.Length; i++)
            {
                all[i] = i;
            }

            return new OnnxInputPlan(inputs, [new GraphInput(name, node.ElementDataType, GraphInputSource.Packed, all)]);
        }

        throw RegistryException.Invalid(
            $"signature.inputs: the {columns.Count} columns fit neither one graph input per column nor one 2-D float/double input with {columns.Count} columns; the ONNX graph takes {Describe(graph)}.");
    }

    private static GraphInput[] OneInputPerColumn(TensorInfo[] inputs, KeyValuePair<string, NodeMetadata>[] graph)
    {
        var graphInputs = new GraphInput[graph.Length];
        for (var g = 0; g < graph.Length; g++)
        {
            var (name, node) = graph[g];
            var index = Array.FindIndex(inputs, c => c.Name == name);
            if (OnnxTypes.ToElementType(inputs[index].Type) != node.ElementDataType)
            {
                throw RegistryException.Invalid($"signature.inputs[{index}]: column '{name}' is {inputs[index].Type.ToNumpyName()} but the ONNX graph takes {node.ElementDataType}.");
            }

            var dimensions = node.Dimensions;
            var source = dimensions.Length switch
            {
                1 => GraphInputSource.Direct,
                2 when dimensions[1] is 1 or < 0 => GraphInputSource.Column,
                _ => throw RegistryException.Invalid($"signature.inputs[{index}]: column '{name}' needs a graph input of shape [-1] or [-1, 1]; it has [{string.Join(", ", dimensions)}]."),
            };
            graphInputs[g] = new GraphInput(name, node.ElementDataType, source, [index]);
        }

        return graphInputs;
    }

    private static bool IsMatrix(NodeMetadata node, int columns) =>
        node.ElementDataType is TensorElementType.Float or TensorElementType.Double
        && node.Dimensions.Length == 2
        && (node.Dimensions[1] < 0 || node.Dimensions[1] == columns);

    private static string Names(KeyValuePair<string, NodeMetadata>[] graph) => string.Join(", ", graph.Select(g => g.Key));

    private static string Describe(KeyValuePair<string, NodeMetadata>[] graph) =>
        string.Join(", ", graph.Select(g => $"{g.Key}: {Describe(g.Value)}"));

    private static string Describe(NodeMetadata node) => node.OnnxValueType == OnnxValueType.ONNX_TYPE_TENSOR
        ? $"{node.ElementDataType}[{string.Join(", ", OnnxTypes.ToShape(node.Dimensions))}]"
        : node.OnnxValueType.ToString();
}

using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Slipway.Core.Registry;
using Slipway.Core.Signatures;
using Slipway.Packaging;
using Slipway.Packaging.Onnx;
using Slipway.Serving.Tensors;
using Tensor = Slipway.Serving.Tensors.Tensor;

namespace Slipway.Serving.Runtimes.Onnx;

/// <summary>
/// Serves an ONNX model with ONNX Runtime: one <see cref="InferenceSession"/> shared by every request of the version
/// (ONNX Runtime's <c>Run</c> is thread-safe), inputs handed over in place with the <see cref="OrtValue"/> API.
/// </summary>
/// <remarks>
/// The request path pins the request's arrays instead of copying them, caches the name arrays, and copies each
/// output once into a new managed array (the result outlives the native buffer).
/// </remarks>
public sealed class OnnxModelRuntime : IModelRuntime
{
    /// <summary>The V2 platform name of ONNX models: <c>onnxruntime_onnx</c>.</summary>
    public const string Platform = "onnxruntime_onnx";

    private const string CudaProvider = "CUDAExecutionProvider";

    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();
    private readonly GraphInput[] graphInputs;
    private readonly string[] graphInputNames;
    private readonly string[] outputNames;

    private OnnxModelRuntime(InferenceSession session, ModelContract contract, GraphInput[] graphInputs, bool usesGpu)
    {
        this.session = session;
        Contract = contract;
        UsesGpu = usesGpu;
        this.graphInputs = graphInputs;
        graphInputNames = graphInputs.Select(g => g.Name).ToArray();
        outputNames = contract.Outputs.Select(o => o.Name).ToArray();
    }

    /// <inheritdoc />
    public ModelContract Contract { get; }

    /// <summary>Whether the session runs on CUDA (asked for with <see cref="RuntimeOptions.UseGpu"/> and available).</summary>
    public bool UsesGpu { get; }

    /// <summary>
    /// Loads the ONNX model at <paramref name="modelPath"/>. The contract's inputs come from <paramref name="signature"/>
    /// when it has inputs, else from the graph (see <see cref="OnnxSignatureReader"/>); its outputs are the graph's
    /// tensor outputs (outputs that are not tensors, such as scikit-learn's ZipMap probabilities, are left out).
    /// </summary>
    /// <param name="modelPath">The <c>.onnx</c> file.</param>
    /// <param name="name">The served model name.</param>
    /// <param name="version">The served version.</param>
    /// <param name="signature">The package's signature, or null.</param>
    /// <param name="inputExampleJson">The package's input example JSON, or null.</param>
    /// <param name="options">Threads, spinning and GPU use.</param>
    /// <exception cref="RegistryException">Invalid when the file is missing, not an ONNX model, or does not fit the signature.</exception>
    public static OnnxModelRuntime Load(
        string modelPath, string name, string version, ModelSignature? signature, string? inputExampleJson, RuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(modelPath))
        {
            throw RegistryException.Invalid($"model file '{Path.GetFileName(modelPath)}' does not exist.");
        }

        var (session, usesGpu) = OpenSession(modelPath, options);
        try
        {
            if (signature?.Inputs is null)
            {
                var read = OnnxSignatureReader.Read(session);
                signature = new ModelSignature(read.Inputs, signature?.Outputs ?? read.Outputs, signature?.ParamsJson);
            }

            var plan = OnnxInputPlan.Build(signature.Inputs!, session);
            var contract = new ModelContract(name, version, Platform, signature, plan.Inputs, ReadOutputs(session), inputExampleJson);
            return new OnnxModelRuntime(session, contract, plan.GraphInputs, usesGpu);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<Tensor> Run(InferenceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var names = SelectOutputs(request.Outputs);
        var values = new OrtValue[graphInputs.Length];
        var pins = new GCHandle[graphInputs.Length];
        var packed = new Array?[graphInputs.Length];
        try
        {
            for (var i = 0; i < graphInputs.Length; i++)
            {
                values[i] = Bind(graphInputs[i], request, ref pins[i], ref packed[i]);
            }

            using var results = session.Run(runOptions, graphInputNames, values, names);
            var tensors = new Tensor[names.Length];
            var index = 0;
            foreach (var result in results)
            {
                tensors[index] = ToTensor(names[index], result);
                index++;
            }

            return tensors;
        }
        catch (OnnxRuntimeException e)
        {
            // The graph refused the values (a shape or size its operators cannot take): the caller's input, not the server.
            throw ScoringException.Invalid($"model '{Contract.Name}' version {Contract.Version} rejected the input: {FirstLine(e.Message)}", e);
        }
        finally
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i]?.Dispose();
                if (pins[i].IsAllocated)
                {
                    pins[i].Free();
                }

                Return(packed[i]);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        session.Dispose();
        runOptions.Dispose();
    }

    private static (InferenceSession Session, bool UsesGpu) OpenSession(string modelPath, RuntimeOptions options)
    {
        var environment = OnnxRuntimeEnvironment.Instance;
        using var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = options.InterOpThreads,
            ExecutionMode = options.InterOpThreads > 1 ? ExecutionMode.ORT_PARALLEL : ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        var spin = options.AllowSpinning ? "1" : "0";
        sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", spin);
        sessionOptions.AddSessionConfigEntry("session.inter_op.allow_spinning", spin);

        var usesGpu = false;
        if (options.UseGpu && Array.IndexOf(environment.GetAvailableProviders(), CudaProvider) >= 0)
        {
            try
            {
                sessionOptions.AppendExecutionProvider_CUDA(0);
                usesGpu = true;
            }
            catch (OnnxRuntimeException)
            {
                // The provider is listed but cannot start (no device, missing CUDA libraries): serve on the CPU.
            }
        }

        try
        {
            return (new InferenceSession(modelPath, sessionOptions), usesGpu);
        }
        catch (OnnxRuntimeException e)
        {
            throw new RegistryException(RegistryErrorCode.InvalidParameterValue, $"'{Path.GetFileName(modelPath)}' is not a valid ONNX model: {FirstLine(e.Message)}", e);
        }
    }

    private static TensorInfo[] ReadOutputs(InferenceSession session)
    {
        var outputs = new List<TensorInfo>();
        foreach (var (name, node) in session.OutputMetadata)
        {
            // Non-tensor outputs (ZipMap's sequence of maps) have no tensor form; the same values are usually
            // also a tensor output (probabilities), so they are left out rather than failing the load.
            if (node.OnnxValueType == OnnxValueType.ONNX_TYPE_TENSOR && OnnxTypes.ToTensorType(node.ElementDataType) is { } type)
            {
                outputs.Add(new TensorInfo(name, type, OnnxTypes.ToShape(node.Dimensions)));
            }
        }

        if (outputs.Count == 0)
        {
            throw RegistryException.Invalid("the ONNX graph has no tensor outputs; there is nothing to serve.");
        }

        return outputs.ToArray();
    }

    private string[] SelectOutputs(IReadOnlyList<string>? requested)
    {
        if (requested is null)
        {
            return outputNames;
        }

        foreach (var name in requested)
        {
            if (Array.IndexOf(outputNames, name) < 0)
            {
                throw ScoringException.Invalid($"outputs: '{name}' is not an output of model '{Contract.Name}' (outputs: {string.Join(", ", outputNames)}).");
            }
        }

        // Model order, whatever order the caller listed them in.
        var selected = new List<string>(requested.Count);
        foreach (var name in outputNames)
        {
            if (requested.Contains(name))
            {
                selected.Add(name);
            }
        }

        return selected.ToArray();
    }

    private OrtValue Bind(GraphInput input, InferenceRequest request, ref GCHandle pin, ref Array? packed)
    {
        if (input.Source == GraphInputSource.Packed)
        {
            return Pack(input, request, ref pin, ref packed);
        }

        var tensor = Find(request, input.Sources[0]);
        var shape = input.Source == GraphInputSource.Column ? [tensor.Shape[0], 1] : tensor.Shape;
        if (tensor.Type == TensorType.String)
        {
            var strings = (string[])tensor.Data;
            var value = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, shape);
            for (var i = 0; i < strings.Length; i++)
            {
                value.StringTensorSetElementAt((strings[i] ?? string.Empty).AsSpan(), i);
            }

            return value;
        }

        // The request's own array is the tensor's memory: pinned for the run, never copied.
        pin = GCHandle.Alloc(tensor.Data, GCHandleType.Pinned);
        return OrtValue.CreateTensorValueWithData(
            OrtMemoryInfo.DefaultInstance, input.ElementType, shape, pin.AddrOfPinnedObject(), (long)tensor.Data.Length * tensor.Type.ElementSize());
    }

    private OrtValue Pack(GraphInput input, InferenceRequest request, ref GCHandle pin, ref Array? packed)
    {
        var columns = input.Sources.Length;
        var rows = checked((int)request.Rows);
        var count = rows * columns;
        long bytes;
        if (input.ElementType == TensorElementType.Float)
        {
            var matrix = ArrayPool<float>.Shared.Rent(count);
            packed = matrix;
            for (var c = 0; c < columns; c++)
            {
                PackColumn(Find(request, input.Sources[c]), rows, matrix.AsSpan(0, count), c, columns);
            }

            bytes = count * sizeof(float);
        }
        else
        {
            var matrix = ArrayPool<double>.Shared.Rent(count);
            packed = matrix;
            for (var c = 0; c < columns; c++)
            {
                PackColumn(Find(request, input.Sources[c]), rows, matrix.AsSpan(0, count), c, columns);
            }

            bytes = count * sizeof(double);
        }

        // A rented array may be longer than the matrix: the tensor covers its first rows × columns values only.
        pin = GCHandle.Alloc(packed, GCHandleType.Pinned);
        return OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, input.ElementType, [rows, columns], pin.AddrOfPinnedObject(), bytes);
    }

    // Copies one column into its place in a row-major [rows, columns] matrix, converting to the matrix's type.
    private static void PackColumn<T>(Tensor column, int rows, Span<T> matrix, int c, int columns)
        where T : INumberBase<T>
    {
        CheckRows(column, rows);
        switch (column.Data)
        {
            case float[] values:
                Pack(values, rows, matrix, c, columns);
                break;
            case double[] values:
                Pack(values, rows, matrix, c, columns);
                break;
            case int[] values:
                Pack(values, rows, matrix, c, columns);
                break;
            case long[] values:
                Pack(values, rows, matrix, c, columns);
                break;
            default:
                throw ScoringException.Invalid($"column '{column.Name}' must be numeric.");
        }
    }

    private static void Pack<TSource, T>(TSource[] values, int rows, Span<T> matrix, int c, int columns)
        where TSource : INumberBase<TSource>
        where T : INumberBase<T>
    {
        for (var r = 0; r < rows; r++)
        {
            matrix[(r * columns) + c] = T.CreateTruncating(values[r]);
        }
    }

    private static void CheckRows(Tensor column, int rows)
    {
        if (column.Data.Length != rows)
        {
            throw ScoringException.Invalid($"column '{column.Name}' has {column.Data.Length} values but the request has {rows} rows.");
        }
    }

    private static void Return(Array? packed)
    {
        switch (packed)
        {
            case float[] floats:
                ArrayPool<float>.Shared.Return(floats);
                break;
            case double[] doubles:
                ArrayPool<double>.Shared.Return(doubles);
                break;
        }
    }

    private Tensor Find(InferenceRequest request, int index)
    {
        // Binders build the inputs in contract order, so the fast path is a direct index; any order is accepted.
        var expected = Contract.Inputs[index];
        var inputs = request.Inputs;
        if (index < inputs.Count && inputs[index].Name == expected.Name)
        {
            return Checked(inputs[index], expected);
        }

        for (var i = 0; i < inputs.Count; i++)
        {
            if (inputs[i].Name == expected.Name)
            {
                return Checked(inputs[i], expected);
            }
        }

        throw ScoringException.Invalid($"input '{expected.Name}' is missing.");
    }

    private static Tensor Checked(Tensor tensor, TensorInfo expected) =>
        tensor.Type == expected.Type
            ? tensor
            : throw ScoringException.Invalid($"input '{expected.Name}' must be {expected.Type.ToV2Name()}, not {tensor.Type.ToV2Name()}.");

    private static Tensor ToTensor(string name, OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        var shape = info.Shape;
        var count = checked((int)info.ElementCount);
        var type = OnnxTypes.ToTensorType(info.ElementDataType)
            ?? throw new InvalidOperationException($"output '{name}' has element type {info.ElementDataType}, which has no tensor type.");
        Array data = type switch
        {
            TensorType.String => value.GetStringTensorAsArray(),
            TensorType.Bool => Copy<bool>(value, count),
            TensorType.UInt8 => Copy<byte>(value, count),
            TensorType.UInt16 => Copy<ushort>(value, count),
            TensorType.UInt32 => Copy<uint>(value, count),
            TensorType.UInt64 => Copy<ulong>(value, count),
            TensorType.Int8 => Copy<sbyte>(value, count),
            TensorType.Int16 => Copy<short>(value, count),
            TensorType.Int32 => Copy<int>(value, count),
            TensorType.Int64 => Copy<long>(value, count),
            TensorType.Float16 => Copy<Half>(value, count),
            TensorType.Float32 => Copy<float>(value, count),
            _ => Copy<double>(value, count),
        };
        return new Tensor(name, type, shape, data);
    }

    private static T[] Copy<T>(OrtValue value, int count)
        where T : unmanaged
    {
        var data = new T[count];
        value.GetTensorMutableRawData().CopyTo(MemoryMarshal.AsBytes(data.AsSpan()));
        return data;
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}

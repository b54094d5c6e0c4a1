using System.Collections.Concurrent;
using Microsoft.ML;
using Slipway.Core.Registry;
using Slipway.Core.Signatures;
using Slipway.Packaging;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Runtimes.Mlnet;

/// <summary>
/// Serves an ML.NET model (<c>.zip</c>) without compile-time row types: requests become a columnar
/// <see cref="IDataView"/>, the model transforms it, and the output columns (scalars or fixed-size vectors such as
/// <c>PredictedLabel</c>, <c>Score</c>, <c>Probability</c>) are read back into tensors.
/// </summary>
/// <remarks>
/// ML.NET transformed views are not safe to share across threads while their source changes, so each concurrent
/// request takes an engine (a source view and the model's view over it, built once) from a pool of up to
/// <see cref="RuntimeOptions.EnginePoolSize"/>; beyond that, a request builds a short-lived engine rather than wait.
/// </remarks>
public sealed class MlnetModelRuntime : IModelRuntime
{
    /// <summary>The V2 platform name of ML.NET models: <c>mlnet</c>.</summary>
    public const string Platform = "mlnet";

    private static readonly string[] PredictionColumns = ["PredictedLabel", "Score", "Probability"];

    private readonly ITransformer model;
    private readonly DataViewSchema inputSchema;
    private readonly int[] sourceColumns;
    private readonly MlnetColumn[] inputColumns;
    private readonly MlnetColumn[] outputColumns;
    private readonly string[] outputNames;
    private readonly ConcurrentBag<Engine> engines = [];
    private readonly int poolSize;
    private int pooled;

    private MlnetModelRuntime(
        ITransformer model, DataViewSchema inputSchema, int[] sourceColumns, MlnetColumn[] inputColumns, MlnetColumn[] outputColumns, ModelContract contract, int poolSize)
    {
        this.model = model;
        this.inputSchema = inputSchema;
        this.sourceColumns = sourceColumns;
        this.inputColumns = inputColumns;
        this.outputColumns = outputColumns;
        this.poolSize = Math.Max(1, poolSize);
        outputNames = outputColumns.Select(c => c.Name).ToArray();
        Contract = contract;
    }

    /// <inheritdoc />
    public ModelContract Contract { get; }

    /// <summary>
    /// Loads the ML.NET model at <paramref name="modelPath"/>. Inputs are the model's saved input columns (as the
    /// signature lists them; read from the model when the package has none); outputs are the signature's output
    /// columns, or <c>PredictedLabel</c>, <c>Score</c> and <c>Probability</c> where the model has them.
    /// </summary>
    /// <param name="modelPath">The <c>.zip</c> model, saved with its input schema.</param>
    /// <param name="name">The served model name.</param>
    /// <param name="version">The served version.</param>
    /// <param name="signature">The package's signature, or null.</param>
    /// <param name="inputExampleJson">The package's input example JSON, or null.</param>
    /// <param name="options">Engine pool size.</param>
    /// <exception cref="RegistryException">Invalid when the file is missing, not an ML.NET model, or does not fit the signature.</exception>
    public static MlnetModelRuntime Load(
        string modelPath, string name, string version, ModelSignature? signature, string? inputExampleJson, RuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(modelPath))
        {
            throw RegistryException.Invalid($"model file '{Path.GetFileName(modelPath)}' does not exist.");
        }

        var ml = new MLContext(seed: 0);
        ITransformer model;
        DataViewSchema savedSchema;
        try
        {
            model = ml.Model.Load(modelPath, out savedSchema);
        }
#pragma warning disable CA1031 // ML.NET reports a corrupt or foreign zip with many exception types; all mean "not a model".
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            throw new RegistryException(RegistryErrorCode.InvalidParameterValue, $"'{Path.GetFileName(modelPath)}' is not a valid ML.NET model: {e.Message.Split('\n', 2)[0].Trim()}", e);
        }

        if (signature?.Inputs is null)
        {
            var read = MlnetSignatureReader.Read(modelPath);
            signature = new ModelSignature(read.Inputs, signature?.Outputs ?? read.Outputs, signature?.ParamsJson);
        }

        // The source view holds the visible saved columns only: hidden ones are earlier versions of a renamed column.
        var visible = savedSchema.Where(c => !c.IsHidden).ToArray();
        var builder = new DataViewSchema.Builder();
        foreach (var column in visible)
        {
            builder.AddColumn(column.Name, column.Type, column.Annotations);
        }

        var inputSchema = builder.ToSchema();
        var (inputs, sourceColumns, inputColumns) = MapInputs(signature.Inputs!, inputSchema);

        DataViewSchema outputSchema;
        try
        {
            outputSchema = model.GetOutputSchema(inputSchema);
        }
#pragma warning disable CA1031 // As above: any failure to apply the model to its own schema means it cannot be served.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            throw new RegistryException(RegistryErrorCode.InvalidParameterValue, $"ML.NET model '{Path.GetFileName(modelPath)}' cannot be applied to its saved input schema: {e.Message.Split('\n', 2)[0].Trim()}", e);
        }

        var outputColumns = MapOutputs(signature.Outputs, outputSchema);
        var contract = new ModelContract(
            name, version, Platform, signature, inputs, outputColumns.Select(c => new TensorInfo(c.Name, c.Type, c.Shape)).ToArray(), inputExampleJson);
        var runtime = new MlnetModelRuntime(model, inputSchema, sourceColumns, inputColumns, outputColumns, contract, options.EnginePoolSize);

        // Build one engine now so a model that cannot score fails here, not on the first request.
        runtime.Return(runtime.Rent());
        return runtime;
    }

    /// <inheritdoc />
    public IReadOnlyList<Tensor> Run(InferenceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var selected = SelectOutputs(request.Outputs);
        var rows = checked((int)request.Rows);
        var engine = Rent();
        try
        {
            for (var i = 0; i < inputColumns.Length; i++)
            {
                var tensor = Find(request, i);
                var column = inputColumns[i];
                if (tensor.Data.Length != (long)rows * column.Width)
                {
                    throw ScoringException.Invalid($"input '{column.Name}' has {tensor.Data.Length} values; {rows} rows need {(long)rows * column.Width}.");
                }

                engine.Source.Bind(sourceColumns[i], tensor.Data, column.Width);
            }

            engine.Source.SetRows(rows);
            var columns = new DataViewSchema.Column[selected.Length];
            for (var i = 0; i < selected.Length; i++)
            {
                columns[i] = engine.Output.Schema[outputColumns[selected[i]].Name];
            }

            var outputs = new Tensor[selected.Length];
            using (var cursor = engine.Output.GetRowCursor(columns))
            {
                var readers = new MlnetOutputReader[selected.Length];
                for (var i = 0; i < selected.Length; i++)
                {
                    readers[i] = MlnetOutputReader.Create(cursor, columns[i], outputColumns[selected[i]], rows);
                }

                var row = 0;
                while (cursor.MoveNext())
                {
                    foreach (var reader in readers)
                    {
                        reader.Read(row);
                    }

                    row++;
                }

                for (var i = 0; i < selected.Length; i++)
                {
                    var column = outputColumns[selected[i]];
                    outputs[i] = new Tensor(column.Name, column.Type, column.IsVector ? [rows, column.Width] : [rows], readers[i].Data);
                }
            }

            return outputs;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException && e is not ScoringException)
        {
            throw ScoringException.Invalid($"model '{Contract.Name}' version {Contract.Version} rejected the input: {e.Message.Split('\n', 2)[0].Trim()}", e);
        }
        finally
        {
            engine.Source.Clear();
            Return(engine);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // ML.NET models hold managed memory only; dropping the engines lets it go.
        engines.Clear();
        (model as IDisposable)?.Dispose();
    }

    private static (TensorInfo[] Inputs, int[] SourceColumns, MlnetColumn[] Columns) MapInputs(SignatureSchema schema, DataViewSchema inputSchema)
    {
        var count = schema.IsTensorBased ? schema.Tensors!.Count : schema.Columns!.Count;
        var inputs = new TensorInfo[count];
        var sourceColumns = new int[count];
        var columns = new MlnetColumn[count];
        for (var i = 0; i < count; i++)
        {
            var field = $"signature.inputs[{i}]";
            string name;
            TensorType type;
            var optional = false;
            if (schema.IsTensorBased)
            {
                var spec = schema.Tensors![i];
                name = spec.Name ?? (inputSchema.Count == 1
                    ? inputSchema[0].Name
                    : throw RegistryException.Invalid($"{field}: an unnamed tensor spec needs a model with one input column; this one has {inputSchema.Count}."));
                type = SignatureTypes.ToTensorType(spec, field);
            }
            else
            {
                var spec = schema.Columns![i];
                name = spec.Name ?? throw RegistryException.Invalid($"{field}: ML.NET models take named columns.");
                type = SignatureTypes.ToTensorType(spec, field);
                optional = !spec.Required;
            }

            var column = inputSchema.GetColumnOrNull(name)
                ?? throw RegistryException.Invalid($"{field}: signature input '{name}' is not an input column of the ML.NET model ({string.Join(", ", inputSchema.Select(c => c.Name))}).");
            var served = MlnetColumn.From(column)
                ?? throw RegistryException.Invalid($"{field}: input column '{name}' has type {column.Type}, which cannot be served.");
            if (served.Type != type)
            {
                throw RegistryException.Invalid($"{field}: signature input '{name}' is {type.ToNumpyName()} but the ML.NET model takes {column.Type}.");
            }

            inputs[i] = new TensorInfo(name, type, served.Shape, optional);
            sourceColumns[i] = column.Index;
            columns[i] = served;
        }

        foreach (var column in inputSchema)
        {
            if (Array.IndexOf(sourceColumns, column.Index) < 0)
            {
                throw RegistryException.Invalid($"signature.inputs: the ML.NET model's input column '{column.Name}' is not in the signature.");
            }
        }

        return (inputs, sourceColumns, columns);
    }

    private static MlnetColumn[] MapOutputs(SignatureSchema? schema, DataViewSchema outputSchema)
    {
        IEnumerable<string> names = schema?.Names is { Count: > 0 } listed
            ? listed
            : PredictionColumns.Where(n => outputSchema.GetColumnOrNull(n) is { IsHidden: false });
        var columns = new List<MlnetColumn>();
        foreach (var name in names)
        {
            var column = outputSchema.GetColumnOrNull(name)
                ?? throw RegistryException.Invalid($"signature.outputs: '{name}' is not a column the ML.NET model produces.");
            columns.Add(MlnetColumn.From(column)
                ?? throw RegistryException.Invalid($"signature.outputs: output column '{name}' has type {column.Type}, which cannot be served."));
        }

        if (columns.Count == 0)
        {
            throw RegistryException.Invalid("the ML.NET model has none of the prediction columns PredictedLabel, Score, Probability and the signature names no outputs.");
        }

        return columns.ToArray();
    }

    private int[] SelectOutputs(IReadOnlyList<string>? requested)
    {
        if (requested is null)
        {
            var all = new int[outputNames.Length];
            for (var i = 0; i < all.Length; i++)
            {
                all[i] = i;
            }

            return all;
        }

        foreach (var name in requested)
        {
            if (Array.IndexOf(outputNames, name) < 0)
            {
                throw ScoringException.Invalid($"outputs: '{name}' is not an output of model '{Contract.Name}' (outputs: {string.Join(", ", outputNames)}).");
            }
        }

        var selected = new List<int>(requested.Count);
        for (var i = 0; i < outputNames.Length; i++)
        {
            if (requested.Contains(outputNames[i]))
            {
                selected.Add(i);
            }
        }

        return selected.ToArray();
    }

    private Tensor Find(InferenceRequest request, int index)
    {
        var expected = Contract.Inputs[index];
        var inputs = request.Inputs;
        Tensor? found = index < inputs.Count && inputs[index].Name == expected.Name ? inputs[index] : null;
        for (var i = 0; found is null && i < inputs.Count; i++)
        {
            if (inputs[i].Name == expected.Name)
            {
                found = inputs[i];
            }
        }

        if (found is null)
        {
            throw ScoringException.Invalid($"input '{expected.Name}' is missing.");
        }

        return found.Type == expected.Type
            ? found
            : throw ScoringException.Invalid($"input '{expected.Name}' must be {expected.Type.ToV2Name()}, not {found.Type.ToV2Name()}.");
    }

    private Engine Rent()
    {
        if (engines.TryTake(out var engine))
        {
            Interlocked.Decrement(ref pooled);
            return engine;
        }

        var source = new RequestDataView(inputSchema);
        return new Engine(source, model.Transform(source));
    }

    private void Return(Engine engine)
    {
        if (Interlocked.Increment(ref pooled) <= poolSize)
        {
            engines.Add(engine);
        }
        else
        {
            Interlocked.Decrement(ref pooled);
        }
    }

    private sealed record Engine(RequestDataView Source, IDataView Output);
}

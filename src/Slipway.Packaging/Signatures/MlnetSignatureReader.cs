using Microsoft.ML;
using Microsoft.ML.Data;
using Slipway.Core.Registry;
using Slipway.Core.Signatures;

namespace Slipway.Packaging;

/// <summary>Reads an MLflow signature from an ML.NET model <c>.zip</c>: its saved input schema and its prediction columns.</summary>
/// <remarks>
/// Inputs are column-based when every visible input column is a scalar of a type MLflow names (float, double,
/// int32, int64, bool, text, DateTime), tensor-based otherwise (vectors become <c>[-1, size]</c>). Outputs are the
/// standard prediction columns <c>PredictedLabel</c>, <c>Score</c> and <c>Probability</c> when present.
/// </remarks>
public static class MlnetSignatureReader
{
    private static readonly string[] PredictionColumns = ["PredictedLabel", "Score", "Probability"];

    /// <summary>The ML.NET version that reads the models, e.g. <c>5.0.1</c>.</summary>
    public static string MlnetVersion { get; } = ReadMlnetVersion();

    /// <summary>Loads the model at <paramref name="zipPath"/> and reads its signature.</summary>
    /// <exception cref="RegistryException">Invalid when the file is missing or is not an ML.NET model.</exception>
    public static ModelSignature Read(string zipPath)
    {
        if (!File.Exists(zipPath))
        {
            throw RegistryException.Invalid($"model file '{zipPath}' does not exist.");
        }

        var ml = new MLContext(seed: 0);
        ITransformer model;
        DataViewSchema inputSchema;
        try
        {
            model = ml.Model.Load(zipPath, out inputSchema);
        }
#pragma warning disable CA1031 // ML.NET reports a corrupt or foreign zip with many exception types; all mean "not a model".
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            throw new RegistryException(RegistryErrorCode.InvalidParameterValue, $"'{Path.GetFileName(zipPath)}' is not a valid ML.NET model: {e.Message.Split('\n', 2)[0].Trim()}", e);
        }

        var inputs = inputSchema.Where(c => !c.IsHidden).ToArray();
        if (inputs.Length == 0)
        {
            throw RegistryException.Invalid($"'{Path.GetFileName(zipPath)}' was saved without an input schema; save it with the schema of its training data.");
        }

        var outputSchema = model.GetOutputSchema(inputSchema);
        var outputs = PredictionColumns
            .Select(name => outputSchema.GetColumnOrNull(name))
            .Where(c => c is { IsHidden: false })
            .Select(c => c!.Value)
            .ToArray();
        return new ModelSignature(
            ToSchema(inputs, "signature.inputs"),
            outputs.Length == 0 ? null : ToSchema(outputs, "signature.outputs"));
    }

    private static SignatureSchema ToSchema(DataViewSchema.Column[] columns, string field)
    {
        if (columns.All(c => ToColumnType(c.Type) is not null))
        {
            return SignatureSchema.FromColumns(columns.Select(c => new ColumnSpec(ToColumnType(c.Type)!.Value, c.Name)), field);
        }

        return SignatureSchema.FromTensors(columns.Select(c => ToTensor(c, field)), field);
    }

    private static TensorSpec ToTensor(DataViewSchema.Column column, string field)
    {
        var (itemType, size) = column.Type is VectorDataViewType vector ? (vector.ItemType, vector.Size) : (column.Type, 1);
        var dtype = ToDType(itemType)
            ?? throw RegistryException.Invalid($"{field}: column '{column.Name}' has type {column.Type}, which has no MLflow equivalent.");

        // A vector of unknown size (Size 0) varies per row: MLflow's -1.
        return new TensorSpec(dtype, column.Type is VectorDataViewType ? [-1, size == 0 ? -1 : size] : [-1], column.Name);
    }

    private static ColumnType? ToColumnType(DataViewType type) => type switch
    {
        _ when type == NumberDataViewType.Single => ColumnType.Float,
        _ when type == NumberDataViewType.Double => ColumnType.Double,
        _ when type == NumberDataViewType.Int32 => ColumnType.Integer,
        _ when type == NumberDataViewType.Int64 => ColumnType.Long,
        BooleanDataViewType => ColumnType.Boolean,
        TextDataViewType => ColumnType.String,
        DateTimeDataViewType => ColumnType.Datetime,
        _ => null,
    };

    private static string? ToDType(DataViewType type) => type switch
    {
        _ when type == NumberDataViewType.Single => "float32",
        _ when type == NumberDataViewType.Double => "float64",
        _ when type == NumberDataViewType.SByte => "int8",
        _ when type == NumberDataViewType.Int16 => "int16",
        _ when type == NumberDataViewType.Int32 => "int32",
        _ when type == NumberDataViewType.Int64 => "int64",
        _ when type == NumberDataViewType.Byte => "uint8",
        _ when type == NumberDataViewType.UInt16 => "uint16",
        _ when type == NumberDataViewType.UInt32 => "uint32",
        _ when type == NumberDataViewType.UInt64 => "uint64",
        BooleanDataViewType => "bool",
        TextDataViewType => "str",
        KeyDataViewType => "uint32",
        _ => null,
    };

    private static string ReadMlnetVersion()
    {
        var version = typeof(MLContext).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>()
            .FirstOrDefault()?.InformationalVersion
            ?? typeof(MLContext).Assembly.GetName().Version?.ToString()
            ?? "unknown";

        // Drop the "+commit" build metadata: MLflow-style version fields hold the release only.
        return version.Split('+', 2)[0];
    }
}

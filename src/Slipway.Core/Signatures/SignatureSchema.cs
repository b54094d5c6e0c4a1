using System.Text;
using System.Text.Json;
using Slipway.Core.Registry;

namespace Slipway.Core.Signatures;

/// <summary>
/// One side of a model signature (inputs or outputs): either a list of columns or a list of tensors, never both,
/// as in MLflow's <c>mlflow.types.Schema</c>. Its JSON is the string MLflow stores in the <c>MLmodel</c> file.
/// </summary>
public sealed class SignatureSchema : IEquatable<SignatureSchema>
{
    private SignatureSchema(IReadOnlyList<ColumnSpec>? columns, IReadOnlyList<TensorSpec>? tensors)
    {
        Columns = columns;
        Tensors = tensors;
    }

    /// <summary>The columns of a column-based schema; <see langword="null"/> when tensor-based.</summary>
    public IReadOnlyList<ColumnSpec>? Columns { get; }

    /// <summary>The tensors of a tensor-based schema; <see langword="null"/> when column-based.</summary>
    public IReadOnlyList<TensorSpec>? Tensors { get; }

    /// <summary>Whether the schema lists tensors rather than columns.</summary>
    public bool IsTensorBased => Tensors is not null;

    /// <summary>The input or output names in order; empty when unnamed.</summary>
    public IReadOnlyList<string> Names =>
        (IReadOnlyList<string>?)Columns?.Where(c => c.Name is not null).Select(c => c.Name!).ToArray()
        ?? Tensors!.Where(t => t.Name is not null).Select(t => t.Name!).ToArray();

    /// <summary>A column-based schema. Columns must be all named or all unnamed; names unique.</summary>
    /// <exception cref="RegistryException">Invalid when the list is empty or names are mixed or repeated.</exception>
    public static SignatureSchema FromColumns(IEnumerable<ColumnSpec> columns, string field = "schema")
    {
        ArgumentNullException.ThrowIfNull(columns);
        var list = columns.ToArray();
        CheckNames(list.Select(c => c.Name).ToArray(), field);
        if (list.Any(c => c.Name is null && !c.Required))
        {
            throw RegistryException.Invalid($"{field}: unnamed columns must be required.");
        }

        return new SignatureSchema(list, null);
    }

    /// <summary>A tensor-based schema. Several tensors must all be named; names unique.</summary>
    /// <exception cref="RegistryException">Invalid when the list is empty, a dtype is unknown, or names are missing or repeated.</exception>
    public static SignatureSchema FromTensors(IEnumerable<TensorSpec> tensors, string field = "schema")
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var list = tensors.ToArray();
        CheckNames(list.Select(t => t.Name).ToArray(), field);
        if (list.Length > 1 && list.Any(t => t.Name is null))
        {
            throw RegistryException.Invalid($"{field}: several tensors must all be named.");
        }

        for (var i = 0; i < list.Length; i++)
        {
            if (!TensorDTypes.IsKnown(list[i].DType))
            {
                throw RegistryException.Invalid($"{field}[{i}].tensor-spec.dtype: unsupported dtype '{list[i].DType}'.");
            }

            if (list[i].Shape.Any(d => d < -1))
            {
                throw RegistryException.Invalid($"{field}[{i}].tensor-spec.shape: dimensions must be -1 or non-negative.");
            }
        }

        return new SignatureSchema(null, list);
    }

    /// <summary>
    /// Parses MLflow's JSON form (<c>[{"type": "double", "name": "x", "required": true}]</c> or
    /// <c>[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}}]</c>).
    /// </summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="field">The field named in error messages, e.g. <c>signature.inputs</c>.</param>
    /// <exception cref="RegistryException">Invalid, naming the offending field, when the JSON is malformed or not a schema.</exception>
    public static SignatureSchema Parse(string json, string field = "schema")
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new RegistryException(RegistryErrorCode.InvalidParameterValue, $"{field}: not valid JSON ({e.Message})", e);
        }

        using (document)
        {
            return Parse(document.RootElement, field);
        }
    }

    /// <summary>Parses an already-parsed JSON array; see <see cref="Parse(string, string)"/>.</summary>
    /// <exception cref="RegistryException">Invalid, naming the offending field.</exception>
    public static SignatureSchema Parse(JsonElement root, string field = "schema")
    {
        if (root.ValueKind != JsonValueKind.Array)
        {
            throw RegistryException.Invalid($"{field}: expected a JSON array of column or tensor specs.");
        }

        if (root.GetArrayLength() == 0)
        {
            throw RegistryException.Invalid($"{field}: must list at least one column or tensor.");
        }

        var columns = new List<ColumnSpec>();
        var tensors = new List<TensorSpec>();
        var index = 0;
        foreach (var item in root.EnumerateArray())
        {
            var at = $"{field}[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw RegistryException.Invalid($"{at}: expected an object.");
            }

            var type = RequiredString(item, "type", at);
            var name = OptionalString(item, "name", at);
            if (type == "tensor")
            {
                tensors.Add(ParseTensor(item, name, at));
            }
            else if (ColumnTypeNames.TryParse(type, out var columnType))
            {
                var required = true;
                if (item.TryGetProperty("required", out var requiredElement))
                {
                    required = requiredElement.ValueKind switch
                    {
                        JsonValueKind.True => true,
                        JsonValueKind.False => false,
                        _ => throw RegistryException.Invalid($"{at}.required: expected true or false."),
                    };
                }

                columns.Add(new ColumnSpec(columnType.Value, name, required));
            }
            else
            {
                throw RegistryException.Invalid(
                    $"{at}.type: unsupported type '{type}'; expected tensor or one of boolean, integer, long, float, double, string, binary, datetime.");
            }
        }

        if (columns.Count > 0 && tensors.Count > 0)
        {
            throw RegistryException.Invalid($"{field}: mixes column specs and tensor specs; use one kind.");
        }

        return tensors.Count > 0 ? FromTensors(tensors, field) : FromColumns(columns, field);
    }

    /// <summary>
    /// MLflow's JSON text for the schema, byte for byte as Python's <c>json.dumps</c> writes it
    /// (<c>", "</c> and <c>": "</c> separators, non-ASCII escaped), so an <c>MLmodel</c> written here matches MLflow's.
    /// </summary>
    public string ToJson()
    {
        var text = new StringBuilder();
        text.Append('[');
        if (Columns is not null)
        {
            for (var i = 0; i < Columns.Count; i++)
            {
                var column = Columns[i];
                if (i > 0)
                {
                    text.Append(", ");
                }

                // MLflow's ColSpec.to_dict order: type, name (when set), required.
                text.Append("{\"type\": ");
                PythonJson.AppendString(text, column.Type.ToMlflowName());
                if (column.Name is not null)
                {
                    text.Append(", \"name\": ");
                    PythonJson.AppendString(text, column.Name);
                }

                text.Append(", \"required\": ").Append(column.Required ? "true" : "false").Append('}');
            }
        }
        else
        {
            for (var i = 0; i < Tensors!.Count; i++)
            {
                var tensor = Tensors[i];
                if (i > 0)
                {
                    text.Append(", ");
                }

                // MLflow's TensorSpec.to_dict order: name (when set), type, tensor-spec.
                text.Append('{');
                if (tensor.Name is not null)
                {
                    text.Append("\"name\": ");
                    PythonJson.AppendString(text, tensor.Name);
                    text.Append(", ");
                }

                text.Append("\"type\": \"tensor\", \"tensor-spec\": {\"dtype\": ");
                PythonJson.AppendString(text, tensor.DType);
                text.Append(", \"shape\": [");
                text.AppendJoin(", ", tensor.Shape);
                text.Append("]}}");
            }
        }

        return text.Append(']').ToString();
    }

    /// <inheritdoc />
    public bool Equals(SignatureSchema? other) =>
        other is not null
        && (Columns is null ? other.Columns is null : other.Columns is not null && Columns.SequenceEqual(other.Columns))
        && (Tensors is null ? other.Tensors is null : other.Tensors is not null && Tensors.SequenceEqual(other.Tensors));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SignatureSchema);

    /// <inheritdoc />
    public override int GetHashCode() => ToJson().GetHashCode(StringComparison.Ordinal);

    /// <summary>The JSON text (<see cref="ToJson"/>).</summary>
    public override string ToString() => ToJson();

    private static TensorSpec ParseTensor(JsonElement item, string? name, string at)
    {
        if (!item.TryGetProperty("tensor-spec", out var spec) || spec.ValueKind != JsonValueKind.Object)
        {
            throw RegistryException.Invalid($"{at}.tensor-spec: missing; a tensor needs {{\"dtype\": ..., \"shape\": [...]}}.");
        }

        var dtype = RequiredString(spec, "dtype", $"{at}.tensor-spec");
        if (!spec.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
        {
            throw RegistryException.Invalid($"{at}.tensor-spec.shape: missing; expected an array of integers.");
        }

        var shape = new List<long>();
        foreach (var dimension in shapeElement.EnumerateArray())
        {
            if (dimension.ValueKind != JsonValueKind.Number || !dimension.TryGetInt64(out var value))
            {
                throw RegistryException.Invalid($"{at}.tensor-spec.shape: expected integers, found {dimension.GetRawText()}.");
            }

            shape.Add(value);
        }

        return new TensorSpec(dtype, shape, name);
    }

    private static string RequiredString(JsonElement item, string property, string at)
    {
        if (!item.TryGetProperty(property, out var value))
        {
            throw RegistryException.Invalid($"{at}.{property}: missing.");
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw RegistryException.Invalid($"{at}.{property}: expected a string.");
    }

    private static string? OptionalString(JsonElement item, string property, string at)
    {
        if (!item.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw RegistryException.Invalid($"{at}.{property}: expected a string.");
    }

    private static void CheckNames(string?[] names, string field)
    {
        if (names.Length == 0)
        {
            throw RegistryException.Invalid($"{field}: must list at least one column or tensor.");
        }

        var named = names.Count(n => n is not null);
        if (named != 0 && named != names.Length)
        {
            throw RegistryException.Invalid($"{field}: mixes named and unnamed entries; name all or none.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (name is not null && !seen.Add(name))
            {
                throw RegistryException.Invalid($"{field}: name '{name}' appears more than once.");
            }
        }
    }
}

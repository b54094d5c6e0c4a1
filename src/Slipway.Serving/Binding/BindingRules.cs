namespace Slipway.Serving.Binding;

/// <summary>
/// How strictly <see cref="InputBinder"/> maps decoded inputs onto a model's inputs. Two presets cover the protocols:
/// <see cref="Mlflow"/> (MLflow scoring: safe numeric conversions, extra inputs ignored) and <see cref="Strict"/>
/// (Open Inference Protocol V2: exact datatypes, extra inputs refused, as KServe and Triton do).
/// </summary>
public sealed record BindingRules
{
    /// <summary>
    /// MLflow scoring: JSON integers and fractions convert to the declared numeric type when no value changes (integers in
    /// range, fractions only into floating types or when whole), inputs the signature does not name are ignored (MLflow
    /// logs and drops extra columns), type names in messages are numpy's.
    /// </summary>
    public static BindingRules Mlflow { get; } = new() { AllowConversions = true, IgnoreExtraInputs = true, UseNumpyNames = true };

    /// <summary>Open Inference Protocol V2: datatypes must match exactly; unknown inputs are an error; V2 type names in messages.</summary>
    public static BindingRules Strict { get; } = new();

    /// <summary>
    /// Whether values may convert to the declared type: integers to any integer type that holds them and to floating
    /// types; floating values to other floating types, and to integer types when every value is whole and in range;
    /// fixed-size integers and floats to wider kinds (MLflow's safe upcasts). Default false (exact types only).
    /// </summary>
    public bool AllowConversions { get; init; }

    /// <summary>Whether decoded inputs the model does not declare are dropped rather than refused. Default false.</summary>
    public bool IgnoreExtraInputs { get; init; }

    /// <summary>Whether error messages name types as numpy does (<c>float32</c>) rather than as V2 does (<c>FP32</c>). Default false.</summary>
    public bool UseNumpyNames { get; init; }

    /// <summary>The type's name as this rule set writes it in messages.</summary>
    internal string NameOf(Tensors.TensorType type) => UseNumpyNames ? Tensors.TensorTypes.ToNumpyName(type) : Tensors.TensorTypes.ToV2Name(type);
}

using System.Text;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Binding;

/// <summary>
/// Turns decoded, loosely typed inputs into an <see cref="InferenceRequest"/> named, typed and shaped exactly as
/// <see cref="ModelContract.Inputs"/>, the way MLflow enforces a signature (<c>_enforce_schema</c>): missing required
/// inputs, wrong types, wrong shapes, missing values in integer columns and disagreeing row counts are 400
/// <c>INVALID_PARAMETER_VALUE</c> naming the input. Decoders hand over the wire's natural types (JSON integers as
/// <see cref="TensorType.Int64"/>, fractions and nulls as <see cref="TensorType.Float64"/> with NaN, text as
/// <see cref="TensorType.String"/>, booleans as <see cref="TensorType.Bool"/>; V2 gives exact datatypes).
/// </summary>
/// <remarks>
/// Choices where MLflow leaves room: inputs the model does not declare are ignored under <see cref="BindingRules.Mlflow"/>
/// (MLflow logs them and drops them) and refused under <see cref="BindingRules.Strict"/>. An absent optional
/// input is filled with NaN when its type is floating (what pandas produces for an absent value); other absent
/// optional inputs are refused, because the model's graph needs a value and no integer, boolean or text stands for
/// "missing" without changing the prediction.
/// </remarks>
public static class InputBinder
{
    /// <summary>The name a decoder gives a single tensor sent without a name (MLflow <c>{"inputs": [[...]]}</c>).</summary>
    public const string UnnamedInput = "";

    /// <summary>Binds <paramref name="decoded"/> to <paramref name="contract"/>'s inputs.</summary>
    /// <param name="decoded">The decoded inputs; a single one named <see cref="UnnamedInput"/> binds to a model with one input.</param>
    /// <param name="contract">The model version being called.</param>
    /// <param name="rules">How strict to be: <see cref="BindingRules.Mlflow"/> or <see cref="BindingRules.Strict"/>.</param>
    /// <param name="outputs">The outputs asked for, or null for all; each must be one of the model's outputs.</param>
    /// <returns>The request, inputs in contract order.</returns>
    /// <exception cref="ScoringException">400 <c>INVALID_PARAMETER_VALUE</c> naming the input (or output) at fault.</exception>
    public static InferenceRequest Bind(IReadOnlyList<Tensor> decoded, ModelContract contract, BindingRules rules, IReadOnlyList<string>? outputs = null)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(rules);

        var declared = contract.Inputs;
        var kind = contract.IsTabular ? "column" : "input";
        var matched = new Tensor?[declared.Count];
        Span<bool> used = decoded.Count <= 256 ? stackalloc bool[decoded.Count] : new bool[decoded.Count];
        List<string>? missing = null;
        for (var i = 0; i < declared.Count; i++)
        {
            var index = IndexOf(decoded, declared[i].Name);
            if (index < 0 && declared.Count == 1 && decoded.Count == 1 && decoded[0].Name == UnnamedInput)
            {
                index = 0;
            }

            if (index >= 0)
            {
                matched[i] = decoded[index];
                used[index] = true;
            }
            else if (!declared[i].Optional)
            {
                (missing ??= []).Add(declared[i].Name);
            }
        }

        List<string>? extra = null;
        for (var i = 0; i < decoded.Count; i++)
        {
            if (!used[i])
            {
                (extra ??= []).Add(decoded[i].Name);
            }
        }

        if (missing is not null)
        {
            var message = new StringBuilder("Model is missing inputs ").Append(PythonList(missing)).Append('.');
            if (extra is not null)
            {
                message.Append(" Note that there were extra inputs: ").Append(PythonList(extra));
            }

            throw ScoringException.Invalid(message.ToString());
        }

        if (extra is not null && !rules.IgnoreExtraInputs)
        {
            throw ScoringException.Invalid(extra[0] == UnnamedInput
                ? $"An unnamed input was sent, but the model takes {declared.Count} named inputs: {PythonList(Names(declared))}."
                : $"Unexpected input '{extra[0]}': the model takes {PythonList(Names(declared))}.");
        }

        var rows = CheckShapesAndRows(matched, declared, kind);
        var bound = new Tensor[declared.Count];
        for (var i = 0; i < declared.Count; i++)
        {
            var info = declared[i];
            var source = matched[i];
            if (source is null)
            {
                bound[i] = FillMissing(info, rows, kind);
                continue;
            }

            var data = ValueConversion.Convert(source, info, rules, kind, source.Rows);
            bound[i] = ReferenceEquals(data, source.Data) && source.Name == info.Name
                ? source
                : new Tensor(info.Name, info.Type, source.Shape, data);
        }

        CheckOutputs(outputs, contract);
        return new InferenceRequest(bound, rows, outputs);
    }

    /// <summary>Checks rank and fixed dimensions of every matched input and that all agree on rows; returns the rows.</summary>
    private static long CheckShapesAndRows(Tensor?[] matched, IReadOnlyList<TensorInfo> declared, string kind)
    {
        long rows = -1;
        string? rowsFrom = null;
        for (var i = 0; i < declared.Count; i++)
        {
            var tensor = matched[i];
            if (tensor is null)
            {
                continue;
            }

            var expected = declared[i].Shape;
            var actual = tensor.Shape;
            var fits = expected.Length == actual.Length;
            for (var d = 0; fits && d < expected.Length; d++)
            {
                fits = expected[d] == -1 || expected[d] == actual[d];
            }

            if (!fits)
            {
                throw ScoringException.Invalid(
                    $"Shape of {kind} '{declared[i].Name}' {ShapeText(actual)} does not match expected shape {ShapeText(expected)}.");
            }

            if (actual.Length == 0)
            {
                continue;
            }

            if (rowsFrom is null)
            {
                rows = actual[0];
                rowsFrom = declared[i].Name;
            }
            else if (actual[0] != rows)
            {
                throw ScoringException.Invalid(
                    $"All inputs must have the same number of rows: {kind} '{rowsFrom}' has {rows}, {kind} '{declared[i].Name}' has {actual[0]}.");
            }
        }

        return rows < 0 ? 1 : rows;
    }

    private static Tensor FillMissing(TensorInfo info, long rows, string kind)
    {
        var shape = (long[])info.Shape.Clone();
        var fits = info.Type is TensorType.Float16 or TensorType.Float32 or TensorType.Float64;
        for (var d = 0; fits && d < shape.Length; d++)
        {
            if (shape[d] == -1)
            {
                shape[d] = d == 0 ? rows : -1;
            }

            fits = shape[d] >= 0;
        }

        if (!fits)
        {
            throw ScoringException.Invalid(
                $"The optional {kind} '{info.Name}' is absent, and the model needs a value for it: only absent float and double {kind}s "
                + "with fixed inner dimensions are filled (with NaN). Send the column.");
        }

        var count = checked((int)Tensor.CountOf(shape));
        Array data = info.Type switch
        {
            TensorType.Float64 => Filled(count, double.NaN),
            TensorType.Float32 => Filled(count, float.NaN),
            _ => Filled(count, Half.NaN),
        };
        return new Tensor(info.Name, info.Type, shape, data);
    }

    private static T[] Filled<T>(int count, T value)
    {
        var array = new T[count];
        Array.Fill(array, value);
        return array;
    }

    private static void CheckOutputs(IReadOnlyList<string>? outputs, ModelContract contract)
    {
        if (outputs is null)
        {
            return;
        }

        foreach (var name in outputs)
        {
            var known = false;
            foreach (var output in contract.Outputs)
            {
                if (string.Equals(output.Name, name, StringComparison.Ordinal))
                {
                    known = true;
                    break;
                }
            }

            if (!known)
            {
                throw ScoringException.Invalid($"Unknown output '{name}': the model returns {PythonList(Names(contract.Outputs))}.");
            }
        }
    }

    private static int IndexOf(IReadOnlyList<Tensor> decoded, string name)
    {
        for (var i = 0; i < decoded.Count; i++)
        {
            if (string.Equals(decoded[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static List<string> Names(IReadOnlyList<TensorInfo> infos)
    {
        var names = new List<string>(infos.Count);
        foreach (var info in infos)
        {
            names.Add(info.Name);
        }

        return names;
    }

    /// <summary>A list as Python prints it, e.g. <c>['a', 'b']</c>: MLflow's messages show names this way.</summary>
    internal static string PythonList(IReadOnlyList<string> names)
    {
        var text = new StringBuilder("[");
        for (var i = 0; i < names.Count; i++)
        {
            text.Append(i > 0 ? ", '" : "'").Append(names[i]).Append('\'');
        }

        return text.Append(']').ToString();
    }

    /// <summary>A shape as MLflow prints it, e.g. <c>(-1, 4)</c>.</summary>
    internal static string ShapeText(long[] shape) =>
        shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";
}

using Slipway.Deploy.Contracts;
using Slipway.Serving;
using Slipway.Serving.Binding;
using Slipway.Serving.Tensors;

namespace Slipway.Deploy.Gates;

/// <summary>
/// Turns logged rows back into requests for a model, the way a caller's JSON would arrive: each logged input becomes a
/// decoded tensor of the wire's natural type (numbers as float64 with NaN for missing values, text as strings,
/// booleans as booleans; <c>[-1, k]</c> inputs from their <c>k</c> element columns, reshaped to the model's fixed
/// dimensions), then MLflow's binding rules convert them to the model's inputs or refuse them, naming the input.
/// </summary>
internal static class LoggedRequests
{
    /// <summary>Binds rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) to <paramref name="contract"/>.</summary>
    /// <exception cref="ScoringException">The rows do not fit the model's inputs (a missing input, a value its type cannot take).</exception>
    public static InferenceRequest Bind(LoggedInputs logged, ModelContract contract, int start, int count)
    {
        var decoded = new List<Tensor>(logged.RowInputs.Count);
        foreach (var input in logged.RowInputs)
        {
            if (input.PerRowElements < 1)
            {
                // Only the shape was logged (a large tensor): its values cannot be replayed.
                continue;
            }

            var width = input.PerRowElements;
            var name = NameFor(input, logged, contract);
            var shape = ShapeFor(name, count, width, input.IsScalar, contract);
            if (input.DType == "str")
            {
                var texts = new string?[count * width];
                Fill(logged, input, start, count, (i, v) => texts[i] = v as string);
                decoded.Add(new Tensor(name, TensorType.String, shape, texts));
            }
            else if (input.DType == "bool")
            {
                // The log writes null booleans only for an optional input a request left out; false stands in.
                var flags = new bool[count * width];
                Fill(logged, input, start, count, (i, v) => flags[i] = v is true);
                decoded.Add(new Tensor(name, TensorType.Bool, shape, flags));
            }
            else
            {
                var numbers = new double[count * width];
                Fill(logged, input, start, count, (i, v) => numbers[i] = v is double d ? d : double.NaN);
                decoded.Add(new Tensor(name, TensorType.Float64, shape, numbers));
            }
        }

        return InputBinder.Bind(decoded, contract, BindingRules.Mlflow);
    }

    /// <summary>Whether any logged input carries values (not only shapes).</summary>
    public static bool HasValues(LoggedInputs logged) => logged.RowInputs.Any(i => i.PerRowElements >= 1);

    private static void Fill(LoggedInputs logged, LoggedInput input, int start, int count, Action<int, object?> set)
    {
        var width = input.PerRowElements;
        for (var r = 0; r < count; r++)
        {
            var row = logged.Rows[start + r];
            for (var e = 0; e < width; e++)
            {
                set((r * width) + e, row.TryGetValue(input.Columns[e], out var value) ? value : null);
            }
        }
    }

    /// <summary>The logged input's name, or the binder's unnamed input when a one-input model meets a one-input log under another name.</summary>
    private static string NameFor(LoggedInput input, LoggedInputs logged, ModelContract contract)
    {
        if (contract.Inputs.Any(i => i.Name == input.Name))
        {
            return input.Name;
        }

        return !contract.IsTabular && contract.Inputs.Count == 1 && logged.RowInputs.Count == 1 ? InputBinder.UnnamedInput : input.Name;
    }

    private static long[] ShapeFor(string name, int rows, int width, bool scalar, ModelContract contract)
    {
        if (scalar)
        {
            return [rows];
        }

        var target = name.Length == 0 ? contract.Inputs[0] : contract.Inputs.FirstOrDefault(i => i.Name == name);
        if (target is { Shape.Length: > 2 } && target.Shape.Skip(1).All(d => d > 0) && target.Shape.Skip(1).Aggregate(1L, (a, d) => a * d) == width)
        {
            return [rows, .. target.Shape.Skip(1)];
        }

        return [rows, width];
    }
}

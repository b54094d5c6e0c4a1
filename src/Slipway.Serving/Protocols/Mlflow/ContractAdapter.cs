using Slipway.Serving.Binding;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Protocols.Mlflow;

/// <summary>
/// Maps decoded data onto a model's inputs the way MLflow's pyfunc does before enforcing the schema: data frames feed
/// tensor models column by column (or, for one unnamed tensor, as one matrix), positional columns feed unnamed column
/// signatures, a dict of scalars is one row.
/// </summary>
internal static class ContractAdapter
{
    public static List<Tensor> Adapt(DecodedInput decoded, ModelContract contract)
    {
        var tensors = decoded.Tensors;
        var columnsUnnamed = contract.Signature.Inputs?.Columns is { Count: > 0 } columns && columns[0].Name is null;
        if (contract.IsTabular)
        {
            if (decoded.IsTable)
            {
                return columnsUnnamed ? ByPosition(tensors, contract) : tensors;
            }

            if (tensors.Count == 1 && tensors[0].Name == InputBinder.UnnamedInput)
            {
                return UnnamedForColumns(tensors[0], contract, columnsUnnamed);
            }

            // A dict of columns; a dict of scalars is a single row (MLflow builds pd.DataFrame([dict])).
            var allScalars = true;
            foreach (var tensor in tensors)
            {
                allScalars &= tensor.Shape.Length == 0;
            }

            if (!allScalars)
            {
                return tensors;
            }

            var rows = new List<Tensor>(tensors.Count);
            foreach (var tensor in tensors)
            {
                rows.Add(new Tensor(tensor.Name, tensor.Type, [1], tensor.Data));
            }

            return rows;
        }

        return decoded.IsTable ? FrameToTensors(tensors, contract) : tensors;
    }

    private static List<Tensor> ByPosition(List<Tensor> columns, ModelContract contract)
    {
        // MLflow's unnamed column signatures take the first columns in order, whatever their names.
        var result = new List<Tensor>(contract.Inputs.Count);
        for (var i = 0; i < columns.Count && i < contract.Inputs.Count; i++)
        {
            result.Add(columns[i].WithName(contract.Inputs[i].Name));
        }

        return result;
    }

    private static List<Tensor> UnnamedForColumns(Tensor tensor, ModelContract contract, bool columnsUnnamed)
    {
        var inputs = contract.Inputs;
        if (tensor.Shape.Length == 1 && inputs.Count == 1)
        {
            return [tensor.WithName(inputs[0].Name)];
        }

        if (columnsUnnamed && tensor.Shape.Length == 2)
        {
            var split = Split(tensor);
            var result = new List<Tensor>(inputs.Count);
            for (var i = 0; i < split.Count && i < inputs.Count; i++)
            {
                result.Add(split[i].WithName(inputs[i].Name));
            }

            return result;
        }

        var names = new List<string>(inputs.Count);
        foreach (var input in inputs)
        {
            names.Add(input.Name);
        }

        throw ScoringException.Invalid(
            $"Model is missing inputs {InputBinder.PythonList(names)}. The data was one unnamed array of shape {InputBinder.ShapeText(tensor.Shape)}, "
            + "but this model's signature names its columns: send dataframe_split, dataframe_records, or inputs as an object of named columns.");
    }

    private static List<Tensor> FrameToTensors(List<Tensor> columns, ModelContract contract)
    {
        var inputs = contract.Inputs;
        var specs = contract.Signature.Inputs?.Tensors;
        var named = specs is null || specs.Count == 0 || specs[0].Name is not null;
        if (named && !(inputs.Count == 1 && FindByName(columns, inputs[0].Name) is null))
        {
            var result = new List<Tensor>(columns.Count);
            foreach (var column in columns)
            {
                var input = FindInfo(inputs, column.Name);
                result.Add(input is null ? column : ColumnToTensor(column, input));
            }

            return result;
        }

        if (columns.Count == 0)
        {
            throw ScoringException.Invalid("Input DataFrame is empty.");
        }

        var only = inputs[0];
        if (columns.Count == 1)
        {
            return [ColumnToTensor(columns[0], only).WithName(only.Name)];
        }

        if (only.Shape is not [-1, var width] || width != columns.Count)
        {
            throw ScoringException.Invalid(
                "This model contains a model signature with an unnamed input. Since the input data is a pandas DataFrame containing multiple columns, "
                + "the input shape must be of the structure (-1, number_of_dataframe_columns). "
                + $"Instead, the input DataFrame passed had {columns.Count} columns and an input shape of {InputBinder.ShapeText(only.Shape)} with all values "
                + "within the DataFrame of scalar type. Please adjust the passed in DataFrame to match the expected structure");
        }

        return [Stack(columns, only.Name)];
    }

    /// <summary>A data frame column for a tensor input: scalars fill (-1,) or (-1, 1); lists reshape to the spec.</summary>
    private static Tensor ColumnToTensor(Tensor column, TensorInfo input)
    {
        var spec = input.Shape;
        var rows = column.Shape[0];
        if (spec.Length == 0 || spec[0] != -1 || Array.IndexOf(spec, -1L, 1) > 0)
        {
            throw ScoringException.Invalid(
                "For pandas dataframe input, the first dimension of shape must be a variable dimension and other dimensions must be fixed, "
                + $"but in model signature the shape of input {input.Name} is {InputBinder.ShapeText(spec)}.");
        }

        if (column.Shape.Length == 1)
        {
            if (spec.Length == 1)
            {
                return column;
            }

            if (spec is [-1, 1])
            {
                return new Tensor(column.Name, column.Type, [rows, 1], column.Data);
            }

            throw ScoringException.Invalid(
                $"The input pandas dataframe column '{input.Name}' contains scalar values, which requires the shape to be (-1,) or (-1, 1), "
                + $"but got tensor spec shape of {InputBinder.ShapeText(spec)}.");
        }

        var shape = (long[])spec.Clone();
        shape[0] = rows;
        if (Tensor.CountOf(shape) != column.ElementCount)
        {
            throw ScoringException.Invalid(
                $"The value in the Input DataFrame column '{input.Name}' could not be converted to the expected shape of: '{InputBinder.ShapeText(spec)}'. "
                + $"Ensure that each of the input list elements are of uniform length and that the data can be coerced to the tensor type '{input.Type.ToNumpyName()}'");
        }

        return new Tensor(column.Name, column.Type, shape, column.Data);
    }

    /// <summary>Scalar columns side by side as one [rows, columns] matrix (pandas <c>DataFrame.to_numpy()</c>).</summary>
    private static Tensor Stack(List<Tensor> columns, string name)
    {
        var type = columns[0].Type;
        foreach (var column in columns)
        {
            if (column.Shape.Length != 1)
            {
                throw ScoringException.Invalid($"Column '{column.Name}' holds lists; an unnamed input takes scalar columns only.");
            }

            if (column.Type != type)
            {
                type = (type, column.Type) is (TensorType.Int64, TensorType.Float64) or (TensorType.Float64, TensorType.Int64)
                    ? TensorType.Float64
                    : throw ScoringException.Invalid($"Column '{column.Name}' is {column.Type.ToNumpyName()} but column '{columns[0].Name}' is {columns[0].Type.ToNumpyName()}; an unnamed input takes columns of one type.");
            }
        }

        var rows = checked((int)columns[0].Shape[0]);
        var width = columns.Count;
        Array data = type switch
        {
            TensorType.Float64 => StackAs<double>(columns, rows, width),
            TensorType.Int64 => StackAs<long>(columns, rows, width),
            TensorType.Bool => StackAs<bool>(columns, rows, width),
            _ => StackAs<string?>(columns, rows, width),
        };
        return new Tensor(name, type, [rows, width], data);
    }

    private static T[] StackAs<T>(List<Tensor> columns, int rows, int width)
    {
        var result = new T[rows * width];
        for (var c = 0; c < width; c++)
        {
            var column = columns[c];
            if (column.Data is T[] same)
            {
                for (var r = 0; r < rows; r++)
                {
                    result[(r * width) + c] = same[r];
                }
            }
            else
            {
                // Only long → double reaches here.
                var longs = (long[])column.Data;
                var doubles = (double[])(object)result;
                for (var r = 0; r < rows; r++)
                {
                    doubles[(r * width) + c] = longs[r];
                }
            }
        }

        return result;
    }

    /// <summary>The columns of a [rows, columns] matrix as separate 1-D tensors.</summary>
    private static List<Tensor> Split(Tensor matrix) => matrix.Data switch
    {
        double[] d => SplitAs(matrix, d),
        long[] l => SplitAs(matrix, l),
        bool[] b => SplitAs(matrix, b),
        _ => SplitAs(matrix, (string?[])matrix.Data),
    };

    private static List<Tensor> SplitAs<T>(Tensor matrix, T[] data)
    {
        var rows = checked((int)matrix.Shape[0]);
        var width = checked((int)matrix.Shape[1]);
        var result = new List<Tensor>(width);
        for (var c = 0; c < width; c++)
        {
            var column = new T[rows];
            for (var r = 0; r < rows; r++)
            {
                column[r] = data[(r * width) + c];
            }

            result.Add(new Tensor(c.ToString(System.Globalization.CultureInfo.InvariantCulture), matrix.Type, [rows], column));
        }

        return result;
    }

    private static Tensor? FindByName(List<Tensor> tensors, string name)
    {
        foreach (var tensor in tensors)
        {
            if (tensor.Name == name)
            {
                return tensor;
            }
        }

        return null;
    }

    private static TensorInfo? FindInfo(IReadOnlyList<TensorInfo> inputs, string name)
    {
        foreach (var input in inputs)
        {
            if (input.Name == name)
            {
                return input;
            }
        }

        return null;
    }
}

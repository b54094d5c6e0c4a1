namespace Slipway.Serving.Tensors;

/// <summary>
/// A named, dense, row-major tensor: the unit every codec produces and every runtime consumes. The first dimension is
/// the batch (rows) for batchable models. <see cref="Data"/> is a one-dimensional array of the type's .NET element
/// type (<see cref="TensorTypes.ElementType"/>) holding exactly <see cref="ElementCount"/> values; runtimes may read it
/// in place without copying, so callers must not change it while a request that uses it runs.
/// </summary>
public sealed class Tensor
{
    /// <summary>Creates a tensor; checks that the array type and length fit the type and shape.</summary>
    /// <exception cref="ArgumentException">The array does not match <paramref name="type"/> or <paramref name="shape"/>.</exception>
    public Tensor(string name, TensorType type, long[] shape, Array data)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        if (data.GetType().GetElementType() != type.ElementType() || data.Rank != 1)
        {
            throw new ArgumentException($"tensor '{name}': a {type} tensor needs a one-dimensional {type.ElementType().Name} array, not {data.GetType().Name}.", nameof(data));
        }

        var count = CountOf(shape);
        if (count != data.Length)
        {
            throw new ArgumentException($"tensor '{name}': shape [{string.Join(", ", shape)}] holds {count} values but the array has {data.Length}.", nameof(data));
        }

        Name = name;
        Type = type;
        Shape = shape;
        Data = data;
    }

    /// <summary>The input or output name.</summary>
    public string Name { get; }

    /// <summary>The element type.</summary>
    public TensorType Type { get; }

    /// <summary>The dimensions, all ≥ 0.</summary>
    public long[] Shape { get; }

    /// <summary>The values, row-major, as a one-dimensional array of the element type.</summary>
    public Array Data { get; }

    /// <summary>The number of values (the product of <see cref="Shape"/>).</summary>
    public long ElementCount => Data.Length;

    /// <summary>The first dimension (rows of a batch); 1 for a scalar.</summary>
    public long Rows => Shape.Length == 0 ? 1 : Shape[0];

    /// <summary>The values as a typed array.</summary>
    /// <exception cref="InvalidCastException">When <typeparamref name="T"/> is not this tensor's element type.</exception>
    public T[] As<T>() => (T[])Data;

    /// <summary>The same values under another name.</summary>
    public Tensor WithName(string name) => new(name, Type, Shape, Data);

    /// <summary>The product of the dimensions.</summary>
    /// <exception cref="ArgumentException">A dimension is negative or the product overflows.</exception>
    public static long CountOf(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (var dimension in shape)
        {
            if (dimension < 0)
            {
                throw new ArgumentException("tensor dimensions must be non-negative.", nameof(shape));
            }

            count = checked(count * dimension);
        }

        return count;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Type.ToV2Name()}[{string.Join(", ", Shape)}]";
}

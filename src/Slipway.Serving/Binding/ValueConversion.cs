using System.Globalization;
using System.Numerics;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Binding;

/// <summary>
/// Converts a decoded tensor's values to the declared element type in one typed loop per input, refusing any conversion
/// that would change a value. Generic helpers are instantiated per value type, so no value is boxed.
/// </summary>
internal static class ValueConversion
{
    /// <summary>The values of <paramref name="source"/> as an array of <paramref name="target"/>'s type.</summary>
    /// <exception cref="ScoringException">400 <c>INVALID_PARAMETER_VALUE</c> naming the input, both types and the offending row.</exception>
    public static Array Convert(Tensor source, TensorInfo target, BindingRules rules, string kind, long rows)
    {
        var context = new Context(target.Name, kind, source.Type, target.Type, rules, rows, source.ElementCount);
        if (source.Type == target.Type)
        {
            if (source.Type == TensorType.String)
            {
                CheckNoMissingText((string?[])source.Data, context);
            }

            return source.Data;
        }

        if (!rules.AllowConversions)
        {
            throw context.Mismatch();
        }

        return source.Type switch
        {
            TensorType.Int64 => FromInt64((long[])source.Data, context),
            TensorType.Float64 => FromFloat64((double[])source.Data, context),
            TensorType.Int8 when Widens(source.Type, target.Type) => FromInt64(ToInt64((sbyte[])source.Data), context),
            TensorType.Int16 when Widens(source.Type, target.Type) => FromInt64(ToInt64((short[])source.Data), context),
            TensorType.Int32 when Widens(source.Type, target.Type) => FromInt64(ToInt64((int[])source.Data), context),
            TensorType.UInt8 when Widens(source.Type, target.Type) => FromInt64(ToInt64((byte[])source.Data), context),
            TensorType.UInt16 when Widens(source.Type, target.Type) => FromInt64(ToInt64((ushort[])source.Data), context),
            TensorType.UInt32 when Widens(source.Type, target.Type) => FromInt64(ToInt64((uint[])source.Data), context),
            TensorType.Float32 when target.Type == TensorType.Float64 => ToFloat64((float[])source.Data),
            TensorType.Float16 when target.Type is TensorType.Float32 or TensorType.Float64 => FromFloat64(ToFloat64((Half[])source.Data), context),
            _ => throw context.Mismatch(),
        };
    }

    /// <summary>
    /// MLflow's safe upcasts between fixed-size types (<c>_enforce_mlflow_datatype</c>): a signed or unsigned integer to
    /// a wider integer of the same kind, unsigned to a strictly wider signed integer, and integers of up to 32 bits to
    /// float64.
    /// </summary>
    private static bool Widens(TensorType from, TensorType to)
    {
        var fromSigned = from is TensorType.Int8 or TensorType.Int16 or TensorType.Int32 or TensorType.Int64;
        var toSigned = to is TensorType.Int8 or TensorType.Int16 or TensorType.Int32 or TensorType.Int64;
        var toUnsigned = to is TensorType.UInt8 or TensorType.UInt16 or TensorType.UInt32 or TensorType.UInt64;
        if (to == TensorType.Float64)
        {
            return from.ElementSize() <= 4;
        }

        if (fromSigned)
        {
            return toSigned && to.ElementSize() >= from.ElementSize();
        }

        return (toUnsigned && to.ElementSize() >= from.ElementSize()) || (toSigned && to.ElementSize() > from.ElementSize());
    }

    private static Array FromInt64(long[] values, in Context context) => context.Target switch
    {
        TensorType.Int64 => values,
        TensorType.Int32 => NarrowInteger<int>(values, int.MinValue, int.MaxValue, context),
        TensorType.Int16 => NarrowInteger<short>(values, short.MinValue, short.MaxValue, context),
        TensorType.Int8 => NarrowInteger<sbyte>(values, sbyte.MinValue, sbyte.MaxValue, context),
        TensorType.UInt8 => NarrowInteger<byte>(values, 0, byte.MaxValue, context),
        TensorType.UInt16 => NarrowInteger<ushort>(values, 0, ushort.MaxValue, context),
        TensorType.UInt32 => NarrowInteger<uint>(values, 0, uint.MaxValue, context),
        TensorType.UInt64 => NarrowInteger<ulong>(values, 0, long.MaxValue, context),
        TensorType.Float64 => ToFloat64(values),
        TensorType.Float32 => IntegerToFloating<float>(values),
        TensorType.Float16 => IntegerToFloating<Half>(values),
        _ => throw context.Mismatch(),
    };

    private static Array FromFloat64(double[] values, in Context context) => context.Target switch
    {
        TensorType.Float64 => values,
        TensorType.Float32 => ToFloat32(values),
        TensorType.Float16 => ToFloat16(values),
        TensorType.Int64 => WholeNumbers<long>(values, -9.2233720368547758E18, 9.2233720368547758E18, context),
        TensorType.Int32 => WholeNumbers<int>(values, int.MinValue, int.MaxValue, context),
        TensorType.Int16 => WholeNumbers<short>(values, short.MinValue, short.MaxValue, context),
        TensorType.Int8 => WholeNumbers<sbyte>(values, sbyte.MinValue, sbyte.MaxValue, context),
        TensorType.UInt8 => WholeNumbers<byte>(values, 0, byte.MaxValue, context),
        TensorType.UInt16 => WholeNumbers<ushort>(values, 0, ushort.MaxValue, context),
        TensorType.UInt32 => WholeNumbers<uint>(values, 0, uint.MaxValue, context),
        TensorType.UInt64 => WholeNumbers<ulong>(values, 0, 1.8446744073709552E19, context),
        _ => throw context.Mismatch(),
    };

    private static T[] NarrowInteger<T>(long[] values, long min, long max, in Context context)
        where T : INumberBase<T>
    {
        var result = new T[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            if (value < min || value > max)
            {
                throw context.OutOfRange(value.ToString(CultureInfo.InvariantCulture), i);
            }

            result[i] = T.CreateTruncating(value);
        }

        return result;
    }

    private static T[] IntegerToFloating<T>(long[] values)
        where T : INumberBase<T>
    {
        var result = new T[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = T.CreateTruncating(values[i]);
        }

        return result;
    }

    /// <remarks>The upper bound is exclusive: it is the first power of two past the type's maximum.</remarks>
    private static T[] WholeNumbers<T>(double[] values, double min, double maxExclusive, in Context context)
        where T : INumberBase<T>
    {
        // MLflow's integer columns cannot hold missing values and its astype would truncate fractions; both are
        // refused here so a value is never silently changed.
        var exclusive = maxExclusive > long.MaxValue;
        var result = new T[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            if (double.IsNaN(value))
            {
                throw context.Missing(i);
            }

            if (Math.Floor(value) != value)
            {
                throw context.NotWhole(value, i);
            }

            if (value < min || (exclusive ? value >= maxExclusive : value > maxExclusive))
            {
                throw context.OutOfRange(value.ToString("R", CultureInfo.InvariantCulture), i);
            }

            result[i] = T.CreateTruncating(value);
        }

        return result;
    }

    private static double[] ToFloat64(long[] values)
    {
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }

        return result;
    }

    private static double[] ToFloat64(float[] values)
    {
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }

        return result;
    }

    private static double[] ToFloat64(Half[] values)
    {
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = (double)values[i];
        }

        return result;
    }

    private static float[] ToFloat32(double[] values)
    {
        var result = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = (float)values[i];
        }

        return result;
    }

    private static Half[] ToFloat16(double[] values)
    {
        var result = new Half[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = (Half)values[i];
        }

        return result;
    }

    private static long[] ToInt64<T>(T[] values)
        where T : IBinaryInteger<T>
    {
        var result = new long[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = long.CreateTruncating(values[i]);
        }

        return result;
    }

    private static void CheckNoMissingText(string?[] values, in Context context)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is null)
            {
                throw context.Missing(i);
            }
        }
    }

    /// <summary>What an error message needs to name the input, the types and the row of a bad value.</summary>
    private readonly record struct Context(string Name, string Kind, TensorType Source, TensorType Target, BindingRules Rules, long Rows, long Elements)
    {
        private string Prefix => $"Incompatible input types for {Kind} '{Name}'. Can not safely convert {Rules.NameOf(Source)} to {Rules.NameOf(Target)}";

        public ScoringException Mismatch() => ScoringException.Invalid($"{Prefix}.");

        public ScoringException NotWhole(double value, long index) =>
            ScoringException.Invalid($"{Prefix}: the value {value.ToString("R", CultureInfo.InvariantCulture)} at row {RowOf(index)} is not a whole number.");

        public ScoringException OutOfRange(string value, long index) =>
            ScoringException.Invalid($"{Prefix}: the value {value} at row {RowOf(index)} is outside the range of {Rules.NameOf(Target)}.");

        public ScoringException Missing(long index) =>
            ScoringException.Invalid(
                $"{Kind} '{Name}' has a missing value at row {RowOf(index)}, but its type {Rules.NameOf(Target)} cannot hold one: only float and double "
                + "columns accept missing values (NaN). Declare the column as double if it may have missing values.");

        private long RowOf(long index) => Rows > 0 && Elements >= Rows ? index / (Elements / Rows) : index;
    }
}

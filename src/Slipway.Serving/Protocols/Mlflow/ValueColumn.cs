using System.Buffers;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Protocols.Mlflow;

/// <summary>
/// Collects one input's values as they are read, in the wire's natural type as pandas would infer it: integers as
/// int64 until a fraction or a null turns the column into float64 (null → NaN), text as strings (null kept), booleans.
/// Also tracks the shape: either rows of equally shaped cells (a data frame column) or one nested array (a tensor).
/// Buffers come from the shared array pool and go back when the tensor is built.
/// </summary>
internal sealed class ValueColumn
{
    private const int MaxRank = 32;

    private ColumnKind _kind;
    private long[]? _longs;
    private double[]? _doubles;
    private bool[]? _bools;
    private string?[]? _strings;
    private int _count;
    private int _pendingNulls;
    private long[]? _cellShape;

    public ValueColumn(string name) => Name = name;

    private enum ColumnKind
    {
        None,
        Int64,
        Float64,
        Bool,
        String,
    }

    /// <summary>The input name.</summary>
    public string Name { get; }

    /// <summary>Rows appended with <see cref="AddCell"/> or the <c>AddScalarCell</c> overloads.</summary>
    public int Rows { get; private set; }

    /// <summary>The shape of one cell (empty for scalars); null before the first cell.</summary>
    public long[]? CellShape => _cellShape;

    /// <summary>Whether every cell is a scalar.</summary>
    public bool IsScalarColumn => _cellShape is null || _cellShape.Length == 0;

    /// <summary>Reads one cell (a scalar or a nested array) at the reader's current token and appends it as a row.</summary>
    public void AddCell(ref System.Text.Json.Utf8JsonReader reader)
    {
        Span<long> dims = stackalloc long[MaxRank];
        dims.Fill(-1);
        var rank = -1;
        ReadNested(ref reader, 0, dims, ref rank);
        var shape = dims[..rank];
        if (_cellShape is null)
        {
            _cellShape = shape.ToArray();
        }
        else if (!shape.SequenceEqual(_cellShape))
        {
            throw ScoringException.Invalid(
                $"The values of input '{DisplayName}' have different shapes: row 0 is ({string.Join(", ", _cellShape)}), row {Rows} is ({string.Join(", ", shape.ToArray())}); "
                + "every row must have the same shape.");
        }

        Rows++;
    }

    /// <summary>Appends a null cell (a record without this column): NaN in a number column.</summary>
    public void AddNullCell(int row)
    {
        if (_cellShape is { Length: > 0 })
        {
            throw ScoringException.Invalid($"Input '{DisplayName}' has no value at row {row}; only scalar columns may leave values out.");
        }

        _cellShape ??= [];
        AddNull();
        Rows++;
    }

    /// <summary>Appends a scalar cell read elsewhere (CSV): an integer.</summary>
    public void AddScalarCell(long value)
    {
        _cellShape ??= [];
        AddLong(value);
        Rows++;
    }

    /// <summary>Appends a scalar cell read elsewhere (CSV): a floating value.</summary>
    public void AddScalarCell(double value)
    {
        _cellShape ??= [];
        AddDouble(value);
        Rows++;
    }

    /// <summary>Appends a scalar cell read elsewhere (CSV): text, or null for a missing value.</summary>
    public void AddScalarCell(string? value)
    {
        _cellShape ??= [];
        if (value is null)
        {
            AddNull();
        }
        else
        {
            AddString(value);
        }

        Rows++;
    }

    /// <summary>Appends a scalar cell read elsewhere (CSV): a boolean.</summary>
    public void AddScalarCell(bool value)
    {
        _cellShape ??= [];
        AddBool(value);
        Rows++;
    }

    /// <summary>Builds the tensor: shape <c>[rows, ..cell]</c>, or the cell's shape alone when <paramref name="rowsDimension"/> is false.</summary>
    public Tensor ToTensor(bool rowsDimension = true)
    {
        var cell = _cellShape ?? [];
        long[] shape;
        if (rowsDimension)
        {
            shape = new long[cell.Length + 1];
            shape[0] = Rows;
            cell.CopyTo(shape, 1);
        }
        else
        {
            shape = cell;
        }

        if (_kind == ColumnKind.None)
        {
            // Only nulls (or nothing): pandas reads an all-null column as missing numbers.
            var nans = new double[_pendingNulls];
            Array.Fill(nans, double.NaN);
            _pendingNulls = 0;
            _count = 0;
            return new Tensor(Name, TensorType.Float64, shape, nans);
        }

        Array data = _kind switch
        {
            ColumnKind.Int64 => Take(ref _longs),
            ColumnKind.Float64 => Take(ref _doubles),
            ColumnKind.Bool => Take(ref _bools),
            _ => Take(ref _strings),
        };
        var type = _kind switch
        {
            ColumnKind.Int64 => TensorType.Int64,
            ColumnKind.Float64 => TensorType.Float64,
            ColumnKind.Bool => TensorType.Bool,
            _ => TensorType.String,
        };
        _count = 0;
        _kind = ColumnKind.None;
        return new Tensor(Name, type, shape, data);
    }

    /// <summary>Returns pooled buffers when parsing stops early.</summary>
    public void Release()
    {
        Return(ref _longs);
        Return(ref _doubles);
        Return(ref _bools);
        Return(ref _strings);
    }

    private string DisplayName => Name.Length == 0 ? "(unnamed)" : Name;

    private T[] Take<T>(ref T[]? buffer)
    {
        var result = new T[_count];
        if (buffer is not null)
        {
            Array.Copy(buffer, result, _count);
        }

        Return(ref buffer);
        return result;
    }

    private static void Return<T>(ref T[]? buffer)
    {
        if (buffer is not null)
        {
            ArrayPool<T>.Shared.Return(buffer, clearArray: System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<T>());
            buffer = null;
        }
    }

    private void ReadNested(ref System.Text.Json.Utf8JsonReader reader, int depth, scoped Span<long> dims, ref int rank)
    {
        switch (reader.TokenType)
        {
            case System.Text.Json.JsonTokenType.StartArray:
                if ((rank >= 0 && depth >= rank) || depth >= MaxRank)
                {
                    throw Ragged();
                }

                long count = 0;
                while (reader.Read() && reader.TokenType != System.Text.Json.JsonTokenType.EndArray)
                {
                    ReadNested(ref reader, depth + 1, dims, ref rank);
                    count++;
                }

                if (count == 0 && rank < 0)
                {
                    rank = depth + 1;
                }

                if (dims[depth] < 0)
                {
                    dims[depth] = count;
                }
                else if (dims[depth] != count)
                {
                    throw Ragged();
                }

                return;
            case System.Text.Json.JsonTokenType.StartObject:
                throw ScoringException.Invalid($"Input '{DisplayName}' holds a JSON object where a value or a list of values was expected.");
            default:
                if (rank < 0)
                {
                    rank = depth;
                }
                else if (depth != rank)
                {
                    throw Ragged();
                }

                AddScalar(ref reader);
                return;
        }
    }

    private ScoringException Ragged() =>
        ScoringException.Invalid($"The values of input '{DisplayName}' are ragged: nested lists must have the same length at each level.");

    private void AddScalar(ref System.Text.Json.Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case System.Text.Json.JsonTokenType.Number:
                if (reader.TryGetInt64(out var integer))
                {
                    AddLong(integer);
                }
                else
                {
                    AddDouble(reader.GetDouble());
                }

                break;
            case System.Text.Json.JsonTokenType.String:
                AddString(reader.GetString()!);
                break;
            case System.Text.Json.JsonTokenType.True:
                AddBool(true);
                break;
            case System.Text.Json.JsonTokenType.False:
                AddBool(false);
                break;
            default:
                AddNull();
                break;
        }
    }

    private void AddLong(long value)
    {
        switch (_kind)
        {
            case ColumnKind.Int64:
                Append(ref _longs, value);
                break;
            case ColumnKind.Float64:
                Append(ref _doubles, value);
                break;
            case ColumnKind.None when _pendingNulls == 0:
                _kind = ColumnKind.Int64;
                Append(ref _longs, value);
                break;
            case ColumnKind.None:
                BecomeFloat64();
                Append(ref _doubles, value);
                break;
            default:
                throw Mixed();
        }
    }

    private void AddDouble(double value)
    {
        switch (_kind)
        {
            case ColumnKind.Float64:
                Append(ref _doubles, value);
                break;
            case ColumnKind.Int64 or ColumnKind.None:
                BecomeFloat64();
                Append(ref _doubles, value);
                break;
            default:
                throw Mixed();
        }
    }

    private void AddBool(bool value)
    {
        if (_kind == ColumnKind.None && _pendingNulls == 0)
        {
            _kind = ColumnKind.Bool;
        }

        if (_kind != ColumnKind.Bool)
        {
            throw _pendingNulls > 0 ? MissingBool() : Mixed();
        }

        Append(ref _bools, value);
    }

    private void AddString(string value)
    {
        if (_kind == ColumnKind.None)
        {
            _kind = ColumnKind.String;
            _count = 0;
            for (; _pendingNulls > 0; _pendingNulls--)
            {
                Append(ref _strings, null);
            }
        }

        if (_kind != ColumnKind.String)
        {
            throw Mixed();
        }

        Append(ref _strings, value);
    }

    private void AddNull()
    {
        switch (_kind)
        {
            case ColumnKind.None:
                _pendingNulls++;
                _count++;
                break;
            case ColumnKind.Int64:
                BecomeFloat64();
                Append(ref _doubles, double.NaN);
                break;
            case ColumnKind.Float64:
                Append(ref _doubles, double.NaN);
                break;
            case ColumnKind.String:
                Append(ref _strings, null);
                break;
            default:
                throw MissingBool();
        }
    }

    /// <summary>Turns the integers (and leading nulls) read so far into float64, as pandas does when a fraction or null arrives.</summary>
    private void BecomeFloat64()
    {
        var count = _count;
        var pending = _kind == ColumnKind.None ? _pendingNulls : 0;
        _count = 0;
        var doubles = ArrayPool<double>.Shared.Rent(Math.Max(16, count * 2));
        if (_kind == ColumnKind.Int64)
        {
            for (var i = 0; i < count; i++)
            {
                doubles[i] = _longs![i];
            }

            Return(ref _longs);
        }
        else
        {
            doubles.AsSpan(0, pending).Fill(double.NaN);
            _pendingNulls = 0;
        }

        _doubles = doubles;
        _count = count;
        _kind = ColumnKind.Float64;
    }

    private void Append<T>(ref T[]? buffer, T value)
    {
        if (buffer is null || _count == buffer.Length)
        {
            var grown = ArrayPool<T>.Shared.Rent(Math.Max(16, _count * 2));
            if (buffer is not null)
            {
                Array.Copy(buffer, grown, _count);
                Return(ref buffer);
            }

            buffer = grown;
        }

        buffer[_count++] = value;
    }

    private ScoringException Mixed() =>
        ScoringException.Invalid($"Input '{DisplayName}' mixes value types (text, numbers, booleans); all values of one input must have one type.");

    private ScoringException MissingBool() =>
        ScoringException.Invalid($"Input '{DisplayName}' has a missing value in a boolean column; only float and double columns accept missing values.");
}

using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Slipway.Storage.Metadata;

/// <summary>
/// A <see cref="RowReader"/> on a raw SQLite statement of the connection's handle. Microsoft.Data.Sqlite checks
/// each column's type before reading it and goes through several layers per value; reading 100,000 metric points
/// that way costs about twice as much as stepping the statement and reading columns directly.
/// </summary>
internal sealed class SqliteRowReader : RowReader
{
    // How many rows go by between cancellation checks.
    private const int CancellationStride = 4096;

    // Recently decoded repeated strings, by a hash of their UTF-8 bytes (a power of two). A page of 1,000 runs reads
    // 40,000 keys that are mostly the same few dozen names; longer texts are decoded every time.
    private const int RepeatedSlots = 256;
    private const int RepeatedMaxBytes = 64;

    private (byte[] Utf8, string Text)[]? _repeated;

    private readonly sqlite3 _database;
    private readonly sqlite3_stmt _statement;
    private int _rows;

    private SqliteRowReader(sqlite3 database, sqlite3_stmt statement)
    {
        _database = database;
        _statement = statement;
    }

    /// <summary>Prepares <paramref name="sql"/> on the connection (inside its open transaction) and binds the named parameters.</summary>
    public static RowReader Open(SqliteConnection connection, string sql, IReadOnlyList<(string Name, object? Value)> parameters)
    {
        var database = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        var rc = raw.sqlite3_prepare_v2(database, sql, out var statement);
        if (rc != raw.SQLITE_OK)
        {
            statement.Dispose();
            SqliteException.ThrowExceptionForRC(rc, database);
        }

        try
        {
            foreach (var (name, value) in parameters)
            {
                var index = raw.sqlite3_bind_parameter_index(statement, name.StartsWith('@') ? name : "@" + name);
                if (index == 0)
                {
                    throw new ArgumentException($"The statement has no parameter {name}.", nameof(parameters));
                }

                rc = value switch
                {
                    null => raw.sqlite3_bind_null(statement, index),
                    string text => raw.sqlite3_bind_text(statement, index, text),
                    long number => raw.sqlite3_bind_int64(statement, index, number),
                    int number => raw.sqlite3_bind_int64(statement, index, number),
                    double number => raw.sqlite3_bind_double(statement, index, number),
                    _ => throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Unsupported parameter type {value.GetType()} for {name}."), nameof(parameters)),
                };
                if (rc != raw.SQLITE_OK)
                {
                    SqliteException.ThrowExceptionForRC(rc, database);
                }
            }

            return new SqliteRowReader(database, statement);
        }
        catch
        {
            statement.Dispose();
            throw;
        }
    }

    public override ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (++_rows % CancellationStride == 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }

        var rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW)
        {
            return ValueTask.FromResult(true);
        }

        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _database);
        }

        return ValueTask.FromResult(false);
    }

    public override bool IsNull(int ordinal) => raw.sqlite3_column_type(_statement, ordinal) == raw.SQLITE_NULL;

    public override long GetInt64(int ordinal) => raw.sqlite3_column_int64(_statement, ordinal);

    public override double GetDouble(int ordinal) => raw.sqlite3_column_double(_statement, ordinal);

    public override string GetString(int ordinal) => raw.sqlite3_column_text(_statement, ordinal).utf8_to_string() ?? string.Empty;

    public override string GetRepeatedString(int ordinal)
    {
        var bytes = raw.sqlite3_column_blob(_statement, ordinal);
        if (bytes.Length > RepeatedMaxBytes)
        {
            return GetString(ordinal);
        }

        // FNV-1a over the bytes picks the slot; a hit must match byte for byte.
        var hash = 2166136261u;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 16777619u;
        }

        _repeated ??= new (byte[], string)[RepeatedSlots];
        ref var slot = ref _repeated[hash & (RepeatedSlots - 1)];
        if (slot.Utf8 is not null && bytes.SequenceEqual(slot.Utf8))
        {
            return slot.Text;
        }

        var text = System.Text.Encoding.UTF8.GetString(bytes);
        slot = (bytes.ToArray(), text);
        return text;
    }

    public override ValueTask DisposeAsync()
    {
        _statement.Dispose();
        return ValueTask.CompletedTask;
    }
}

using System.Buffers;
using System.Data.Common;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Slipway.Storage.Metadata;

/// <summary>SQLite through Microsoft.Data.Sqlite: one file, WAL, foreign keys on, case-sensitive LIKE.</summary>
internal sealed class SqliteDialect : SqlDialect
{
    // Applied on every open: these are per-connection settings. LIKE must be case-sensitive because MLflow's is
    // (ILIKE is written lower(x) LIKE lower(y)); busy_timeout lets concurrent writers from other processes queue.
    // Reads map the file (256 MiB at most) rather than copying pages into each pooled connection's private cache:
    // run searches touch tens of thousands of rows, and the OS page cache is shared by every connection.
    private const string ConnectionPragmas =
        "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000; PRAGMA case_sensitive_like = ON; PRAGMA synchronous = NORMAL; PRAGMA mmap_size = 268435456;";

    private readonly string _connectionString;
    private readonly string _path;

    public SqliteDialect(string path)
    {
        _path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 60,
        }.ToString();
    }

    public override string Description => $"sqlite:{_path}";

    public override string KeyTextType => "TEXT";

    public override string AutoIdColumn => "INTEGER PRIMARY KEY AUTOINCREMENT";

    public override string ClusteredTableSuffix => " WITHOUT ROWID";

    public override int RowsPerInsert => 1;

    public override bool SearchesRunsInMetricOrder => true;

    // The list travels as one JSON array that SQLite's json_each expands into rows.
    public override string AnyOf(string column, string parameter) => $"{column} IN (SELECT value FROM json_each({parameter}))";

    // json_each numbers the elements (key); the join probes the table's primary key once per listed run.
    public override string SelectByRunPosition(string columns, string table) =>
        $"SELECT j.key, {columns} FROM json_each(@ids) j JOIN {table} x ON x.run_uuid = j.value";

    public override Task<RowReader> QueryAsync(DbConnection connection, DbTransaction transaction, string sql, IReadOnlyList<(string Name, object? Value)> parameters, CancellationToken cancellationToken) =>
        Task.FromResult(SqliteRowReader.Open((SqliteConnection)connection, sql, parameters));

    public override object ListValue<T>(IReadOnlyList<T> values)
    {
        var buffer = new ArrayBufferWriter<byte>(16 + (values.Count * 36));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                switch (value)
                {
                    case string text:
                        writer.WriteStringValue(text);
                        break;
                    case long number:
                        writer.WriteNumberValue(number);
                        break;
                    default:
                        throw new ArgumentException($"Unsupported list element type {typeof(T)}.", nameof(values));
                }
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = ConnectionPragmas;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override ValueTask<DbTransaction> BeginAsync(DbConnection connection, bool write, CancellationToken cancellationToken)
    {
        // BEGIN IMMEDIATE for writers: a deferred transaction that reads and then writes can fail with SQLITE_BUSY
        // without waiting when another process wrote in between; taking the write lock first makes writers queue.
        DbTransaction transaction = ((SqliteConnection)connection).BeginTransaction(deferred: !write);
        return ValueTask.FromResult(transaction);
    }

    public override async Task PrepareDatabaseAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public override bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 1555 or 2067 };

    public override ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open (and its WAL); release them so the file can be moved or deleted.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }
}

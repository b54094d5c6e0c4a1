using System.Data.Common;

namespace Slipway.Storage.Metadata;

/// <summary>
/// What differs between the SQL databases the metadata store runs on: how connections open, a few DDL types,
/// how schema migrations are serialized and how a duplicate key is reported. Everything else is portable SQL.
/// </summary>
internal abstract class SqlDialect : IAsyncDisposable
{
    /// <summary>A readable description of the database (no password).</summary>
    public abstract string Description { get; }

    /// <summary>Column type for names and keys that are compared, sorted and matched with LIKE byte-wise.</summary>
    public abstract string KeyTextType { get; }

    /// <summary>DDL of an auto-increasing 64-bit primary key column.</summary>
    public abstract string AutoIdColumn { get; }

    /// <summary>
    /// Suffix of CREATE TABLE that stores rows in primary key order without a separate row id (SQLite's
    /// <c>WITHOUT ROWID</c>), so that a table whose primary key covers its reads needs no second lookup; empty
    /// where tables are heaps anyway (PostgreSQL).
    /// </summary>
    public virtual string ClusteredTableSuffix => string.Empty;

    /// <summary>
    /// Suffix of a SELECT that locks the rows it reads until the transaction ends (PostgreSQL's <c>FOR UPDATE</c>);
    /// empty where a write transaction already holds the whole database (SQLite).
    /// </summary>
    public virtual string LockRowsSuffix => string.Empty;

    /// <summary>Opens a connection with the per-connection settings applied.</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Begins a transaction. Writers take the database's write lock up front where the database would otherwise
    /// fail a reader that later upgrades to a writer (SQLite).
    /// </summary>
    public abstract ValueTask<DbTransaction> BeginAsync(DbConnection connection, bool write, CancellationToken cancellationToken);

    /// <summary>Database-wide settings that cannot run inside a transaction (e.g. SQLite's WAL mode).</summary>
    public virtual Task PrepareDatabaseAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Serializes schema migrations of concurrently starting processes, within <paramref name="transaction"/>.</summary>
    public virtual Task LockMigrationsAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>True when the exception reports a unique or primary key violation.</summary>
    public abstract bool IsUniqueViolation(DbException exception);

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();
}

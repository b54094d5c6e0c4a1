using System.Data.Common;

namespace Slipway.Storage.Metadata;

/// <summary>
/// What differs between the SQL databases the metadata store runs on: how connections open, a few DDL types,
/// how schema migrations are serialized, how a duplicate key is reported, how lists are bound and how bulk rows are
/// written and read. Everything else is portable SQL.
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
    /// Rows per INSERT statement when many rows go in at once. Over a network (PostgreSQL) multi-row statements save
    /// round trips; in-process SQLite is fastest with one prepared single-row statement executed per row, because
    /// it neither re-parses SQL nor looks up hundreds of parameter names. Default 200: 200 metric rows bind 1,001
    /// parameters, far below PostgreSQL's limit of 65,535, and a 1,000-metric batch takes five statements.
    /// </summary>
    public virtual int RowsPerInsert => 200;

    /// <summary>
    /// Whether a run search ordered by a metric should first try a query that reads the metric's index in order and
    /// stops when the page is full. SQLite keeps the written join order, so the plan is fixed; PostgreSQL's planner
    /// would choose it from statistics, and on freshly loaded tables without them it picked nested loops that took
    /// seconds, while the single sorted query stays within tens of milliseconds either way.
    /// </summary>
    public virtual bool SearchesRunsInMetricOrder => false;

    /// <summary>
    /// Suffix of a SELECT that locks the rows it reads until the transaction ends (PostgreSQL's <c>FOR UPDATE</c>);
    /// empty where a write transaction already holds the whole database (SQLite).
    /// </summary>
    public virtual string LockRowsSuffix => string.Empty;

    /// <summary>
    /// A condition that <paramref name="column"/> equals one of the values bound to <paramref name="parameter"/> as
    /// <see cref="ListValue{T}"/>. One parameter however long the list: a statement with hundreds of parameters costs
    /// more to bind than to run.
    /// </summary>
    public abstract string AnyOf(string column, string parameter);

    /// <summary>The parameter value that <see cref="AnyOf"/> matches against: strings or 64-bit integers.</summary>
    public abstract object ListValue<T>(IReadOnlyList<T> values);

    /// <summary>
    /// A SELECT of <paramref name="columns"/> (aliased <c>x.</c>) from the rows of <paramref name="table"/> whose
    /// <c>run_uuid</c> is in the run id list bound to <c>@ids</c> (see <see cref="ListValue{T}"/>), with the run's
    /// 0-based position in that list as the first column, in no particular order (sorting 20,000 rows in SQL
    /// costs as much as reading them; callers order each run's few rows themselves).
    /// </summary>
    public abstract string SelectByRunPosition(string columns, string table);

    /// <summary>Runs a query for bulk reading (see <see cref="RowReader"/>), within <paramref name="transaction"/>.</summary>
    public virtual Task<RowReader> QueryAsync(DbConnection connection, DbTransaction transaction, string sql, IReadOnlyList<(string Name, object? Value)> parameters, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            Sql.Add(command, name, value);
        }

        return DbRowReader.OpenAsync(command, cancellationToken);
    }

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

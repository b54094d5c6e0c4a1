using System.Data.Common;

namespace Slipway.Storage.Metadata;

/// <summary>A <see cref="RowReader"/> over an ADO.NET command and its data reader.</summary>
internal sealed class DbRowReader(DbCommand command, DbDataReader reader) : RowReader
{
    /// <summary>Executes <paramref name="command"/> and owns it from then on.</summary>
    public static async Task<RowReader> OpenAsync(DbCommand command, CancellationToken cancellationToken)
    {
        try
        {
            return new DbRowReader(command, await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            await command.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override async ValueTask<bool> ReadAsync(CancellationToken cancellationToken) => await reader.ReadAsync(cancellationToken).ConfigureAwait(false);

    public override bool IsNull(int ordinal) => reader.IsDBNull(ordinal);

    public override long GetInt64(int ordinal) => reader.GetInt64(ordinal);

    public override double GetDouble(int ordinal) => reader.GetDouble(ordinal);

    public override string GetString(int ordinal) => reader.GetString(ordinal);

    public override async ValueTask DisposeAsync()
    {
        await reader.DisposeAsync().ConfigureAwait(false);
        await command.DisposeAsync().ConfigureAwait(false);
    }
}

using System.Data.Common;
using Slipway.Core.Deployment.Webhooks;
using Slipway.Core.Registry;
using Slipway.Core.Search;

namespace Slipway.Storage.Metadata;

/// <summary>Registered models and their tags.</summary>
public sealed partial class SqlMetadataStore
{
    private static readonly Dictionary<string, SearchColumn> ModelColumns = new(StringComparer.Ordinal)
    {
        ["name"] = new("m.name", Numeric: false),
        ["creation_timestamp"] = new("m.creation_time", Numeric: true),
        ["last_updated_timestamp"] = new("m.last_updated_time", Numeric: true),
    };

    private static readonly OrderTerm[] ModelTieBreakers = [new("name", Descending: false)];

    /// <inheritdoc />
    public Task<RegisteredModel> CreateRegisteredModelAsync(string name, string description, IReadOnlyDictionary<string, string> tags, long timestamp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(tags);
        return InTransactionAsync(
            write: true,
            async (c, t) =>
            {
                try
                {
                    await Sql.ExecuteAsync(
                        c,
                        t,
                        "INSERT INTO registered_models (name, creation_time, last_updated_time, description, last_version) VALUES (@n, @ts, @ts, @d, 0)",
                        cancellationToken,
                        ("n", name),
                        ("ts", timestamp),
                        ("d", description ?? string.Empty)).ConfigureAwait(false);
                }
                catch (DbException e) when (_dialect.IsUniqueViolation(e))
                {
                    throw new RegistryException(RegistryErrorCode.ResourceAlreadyExists, $"Registered Model (name={name}) already exists.", e);
                }

                foreach (var (key, value) in tags)
                {
                    await Sql.ExecuteAsync(c, t, "INSERT INTO registered_model_tags (name, key, value) VALUES (@n, @k, @v)", cancellationToken, ("n", name), ("k", key), ("v", value)).ConfigureAwait(false);
                }

                await AppendEventAsync(
                    c, t, RegistryEvents.RegisteredModelCreated, RegistryEvents.RegisteredModelCreatedData(name, tags, description), timestamp, cancellationToken).ConfigureAwait(false);

                return (await LoadModelAsync(c, t, name, cancellationToken).ConfigureAwait(false))!;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<RegisteredModel?> GetRegisteredModelAsync(string name, CancellationToken cancellationToken) =>
        InTransactionAsync(write: false, (c, t) => LoadModelAsync(c, t, name, cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task<RegisteredModel> RenameRegisteredModelAsync(string name, string newName, long timestamp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(newName);
        return InTransactionAsync(
            write: true,
            async (c, t) =>
            {
                await RequireModelAsync(c, t, name, cancellationToken).ConfigureAwait(false);
                try
                {
                    // Foreign keys cascade the new name to versions, tags, files, aliases and alias history.
                    await Sql.ExecuteAsync(
                        c, t, "UPDATE registered_models SET name = @new, last_updated_time = @ts WHERE name = @n", cancellationToken, ("new", newName), ("ts", timestamp), ("n", name)).ConfigureAwait(false);
                }
                catch (DbException e) when (_dialect.IsUniqueViolation(e))
                {
                    throw new RegistryException(RegistryErrorCode.ResourceAlreadyExists, $"Registered Model (name={newName}) already exists.", e);
                }

                return (await LoadModelAsync(c, t, newName, cancellationToken).ConfigureAwait(false))!;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<RegisteredModel> UpdateRegisteredModelAsync(string name, string description, long timestamp, CancellationToken cancellationToken) =>
        InTransactionAsync(
            write: true,
            async (c, t) =>
            {
                var rows = await Sql.ExecuteAsync(
                    c, t, "UPDATE registered_models SET description = @d, last_updated_time = @ts WHERE name = @n", cancellationToken, ("d", description ?? string.Empty), ("ts", timestamp), ("n", name)).ConfigureAwait(false);
                return rows == 0 ? throw ModelNotFound(name) : (await LoadModelAsync(c, t, name, cancellationToken).ConfigureAwait(false))!;
            },
            cancellationToken);

    /// <inheritdoc />
    public Task DeleteRegisteredModelAsync(string name, CancellationToken cancellationToken) =>
        WriteAsync(
            async (c, t) =>
            {
                // Versions, tags, files, aliases and the alias history go with the model (ON DELETE CASCADE).
                var rows = await Sql.ExecuteAsync(c, t, "DELETE FROM registered_models WHERE name = @n", cancellationToken, ("n", name)).ConfigureAwait(false);
                if (rows == 0)
                {
                    throw ModelNotFound(name);
                }
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<Page<RegisteredModel>> SearchRegisteredModelsAsync(SearchQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var offset = PageToken.Decode(query.PageToken);
        var search = new SearchSql(ModelColumns, "SELECT 1 FROM registered_model_tags t WHERE t.name = m.name");
        var sql = "SELECT m.name FROM registered_models m" + search.Where(query.Filter) + search.OrderBy(query.OrderBy, ModelTieBreakers)
            + search.Limit(PageSize(query) + 1, offset);
        return InTransactionAsync(
            write: false,
            async (c, t) =>
            {
                var names = new List<string>();
                await using (var command = Sql.Command(c, t, sql))
                {
                    search.Bind(command);
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        names.Add(reader.GetString(0));
                    }
                }

                var pageSize = PageSize(query);
                var items = new List<RegisteredModel>(Math.Min(names.Count, pageSize));
                foreach (var name in names.Take(pageSize))
                {
                    items.Add((await LoadModelAsync(c, t, name, cancellationToken).ConfigureAwait(false))!);
                }

                return new Page<RegisteredModel>(items, names.Count > pageSize ? PageToken.Encode(offset + pageSize) : null);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task SetRegisteredModelTagAsync(string name, string key, string value, long timestamp, CancellationToken cancellationToken) =>
        WriteAsync(
            async (c, t) =>
            {
                var rows = await Sql.ExecuteAsync(c, t, "UPDATE registered_models SET last_updated_time = @ts WHERE name = @n", cancellationToken, ("ts", timestamp), ("n", name)).ConfigureAwait(false);
                if (rows == 0)
                {
                    throw ModelNotFound(name);
                }

                await Sql.ExecuteAsync(
                    c,
                    t,
                    "INSERT INTO registered_model_tags (name, key, value) VALUES (@n, @k, @v) ON CONFLICT (name, key) DO UPDATE SET value = excluded.value",
                    cancellationToken,
                    ("n", name),
                    ("k", key),
                    ("v", value)).ConfigureAwait(false);
            },
            cancellationToken);

    /// <inheritdoc />
    public Task DeleteRegisteredModelTagAsync(string name, string key, CancellationToken cancellationToken) =>
        WriteAsync(
            async (c, t) =>
            {
                await RequireModelAsync(c, t, name, cancellationToken).ConfigureAwait(false);
                var rows = await Sql.ExecuteAsync(c, t, "DELETE FROM registered_model_tags WHERE name = @n AND key = @k", cancellationToken, ("n", name), ("k", key)).ConfigureAwait(false);
                if (rows == 0)
                {
                    throw RegistryException.NotFound($"Registered Model tag with key={key} not found for name={name}");
                }
            },
            cancellationToken);

    private static int PageSize(SearchQuery query) =>
        query.MaxResults >= 1 ? query.MaxResults : throw RegistryException.Invalid($"Invalid value {query.MaxResults} for parameter 'max_results': must be at least 1.");
}

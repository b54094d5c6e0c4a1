using Slipway.Core.Artifacts;
using Slipway.Core.Registry;

namespace Slipway.Cli.Output;

/// <summary>Turns registry records into the CLI's output views.</summary>
public static class ViewMapper
{
    /// <summary>MLflow's spelling of a status, e.g. <c>READY</c>.</summary>
    public static string StatusName(ModelVersionStatus status) => status switch
    {
        ModelVersionStatus.PendingRegistration => "PENDING_REGISTRATION",
        ModelVersionStatus.FailedRegistration => "FAILED_REGISTRATION",
        ModelVersionStatus.Ready => "READY",
        _ => status.ToString().ToUpperInvariant(),
    };

    /// <summary>The view of a model.</summary>
    public static ModelView ToView(RegisteredModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var latest = model.LatestVersions.Count == 0 ? (long?)null : model.LatestVersions.Max(v => v.Version);
        return new ModelView(
            model.Name,
            model.Description,
            model.CreationTimestamp,
            model.LastUpdatedTimestamp,
            latest,
            model.Aliases.OrderBy(a => a.Alias, StringComparer.Ordinal).ToDictionary(a => a.Alias, a => a.Version, StringComparer.Ordinal),
            Sorted(model.Tags));
    }

    /// <summary>The view of a version.</summary>
    public static VersionView ToView(ModelVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return new VersionView(
            version.Name,
            version.Version,
            StatusName(version.Status),
            version.StatusMessage,
            version.Source,
            version.RunId,
            version.Description,
            version.UserId,
            version.CreationTimestamp,
            version.LastUpdatedTimestamp,
            version.ContentDigest,
            version.Aliases.Order(StringComparer.Ordinal).ToList(),
            Sorted(version.Tags));
    }

    /// <summary>The view of an alias history entry.</summary>
    public static AliasHistoryItemView ToView(AliasHistoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new AliasHistoryItemView(
            entry.Id, entry.Alias, entry.FromVersion, entry.ToVersion, entry.User, entry.Reason, entry.Timestamp);
    }

    /// <summary>The view of a stored file.</summary>
    public static FileView ToView(StoredFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return new FileView(file.Path, file.Sha256, file.Size);
    }

    /// <summary>A Unix-milliseconds timestamp as readable UTC text, e.g. <c>2025-01-31 12:00:00Z</c>.</summary>
    public static string FormatTimestamp(long unixMilliseconds) =>
        unixMilliseconds <= 0
            ? string.Empty
            : DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).UtcDateTime
                .ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static SortedDictionary<string, string> Sorted(IReadOnlyDictionary<string, string> tags) =>
        new(tags.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal), StringComparer.Ordinal);
}

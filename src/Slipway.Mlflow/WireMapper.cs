using System.Globalization;
using Slipway.Core.Artifacts;
using Slipway.Core.Registry;
using Slipway.Mlflow.Contracts;

namespace Slipway.Mlflow;

/// <summary>
/// Converts Core records to MLflow's wire messages and back. Follows what an MLflow server writes: versions as
/// decimal strings, timestamps as numbers, empty lists and unset optional fields left out.
/// </summary>
public static class WireMapper
{
    /// <summary>MLflow's spelling of a registration state, e.g. <c>READY</c>.</summary>
    public static string ToWire(ModelVersionStatus status) => status switch
    {
        ModelVersionStatus.PendingRegistration => "PENDING_REGISTRATION",
        ModelVersionStatus.FailedRegistration => "FAILED_REGISTRATION",
        _ => "READY",
    };

    /// <summary>Parses MLflow's spelling of a registration state; unknown or missing values read as ready (MLflow's default).</summary>
    public static ModelVersionStatus ParseStatus(string? status) => status switch
    {
        "PENDING_REGISTRATION" => ModelVersionStatus.PendingRegistration,
        "FAILED_REGISTRATION" => ModelVersionStatus.FailedRegistration,
        _ => ModelVersionStatus.Ready,
    };

    /// <summary>
    /// Parses a version number sent as a decimal string. Throws <see cref="RegistryException"/> (invalid parameter,
    /// naming <paramref name="field"/>) when it is missing or not an integer.
    /// </summary>
    public static long ParseVersion(string? version, string field = "version")
    {
        if (string.IsNullOrEmpty(version))
        {
            throw RegistryException.Invalid($"Missing value for required parameter '{field}'.");
        }

        return long.TryParse(version, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw RegistryException.Invalid($"Parameter '{field}' must be an integer, got '{version}'.");
    }

    /// <summary>Formats a version number as MLflow does (a decimal string).</summary>
    public static string FormatVersion(long version) => version.ToString(CultureInfo.InvariantCulture);

    /// <summary>The wire form of a registered model.</summary>
    public static RegisteredModelMessage ToMessage(RegisteredModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new RegisteredModelMessage
        {
            Name = model.Name,
            CreationTimestamp = model.CreationTimestamp,
            LastUpdatedTimestamp = model.LastUpdatedTimestamp,
            Description = model.Description.Length == 0 ? null : model.Description,
            LatestVersions = model.LatestVersions.Count == 0 ? null : model.LatestVersions.Select(ToMessage).ToArray(),
            Tags = ToMessages(model.Tags),
            Aliases = model.Aliases.Count == 0
                ? null
                : model.Aliases.Select(a => new AliasMessage { Alias = a.Alias, Version = FormatVersion(a.Version) }).ToArray(),
        };
    }

    /// <summary>The wire form of a model version.</summary>
    public static ModelVersionMessage ToMessage(ModelVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return new ModelVersionMessage
        {
            Name = version.Name,
            Version = FormatVersion(version.Version),
            CreationTimestamp = version.CreationTimestamp,
            LastUpdatedTimestamp = version.LastUpdatedTimestamp,
            UserId = version.UserId.Length == 0 ? null : version.UserId,
            CurrentStage = version.CurrentStage,
            Description = version.Description,
            Source = version.Source,
            RunId = version.RunId,
            Status = ToWire(version.Status),
            StatusMessage = version.StatusMessage.Length == 0 ? null : version.StatusMessage,
            Tags = ToMessages(version.Tags),
            RunLink = version.RunLink,
            Aliases = version.Aliases.Count == 0 ? null : version.Aliases,
            ContentDigest = version.ContentDigest.Length == 0 ? null : version.ContentDigest,
        };
    }

    /// <summary>The wire form of an alias history entry.</summary>
    public static AliasHistoryEntryMessage ToMessage(AliasHistoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new AliasHistoryEntryMessage
        {
            Id = entry.Id,
            Name = entry.Name,
            Alias = entry.Alias,
            FromVersion = entry.FromVersion is { } from ? FormatVersion(from) : null,
            ToVersion = entry.ToVersion is { } to ? FormatVersion(to) : null,
            User = entry.User,
            Reason = entry.Reason,
            Timestamp = entry.Timestamp,
        };
    }

    /// <summary>The wire form of an artifact listing entry (directories carry no size).</summary>
    public static FileInfoMessage ToMessage(ArtifactEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new FileInfoMessage { Path = entry.Path, IsDir = entry.IsDir, FileSize = entry.IsDir ? null : entry.Size };
    }

    /// <summary>The wire form of a stored file.</summary>
    public static StoredFileMessage ToMessage(StoredFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return new StoredFileMessage { Path = file.Path, Sha256 = file.Sha256, Size = file.Size };
    }

    /// <summary>Tags as a list sorted by key, or null when there are none (MLflow leaves empty lists out).</summary>
    public static IReadOnlyList<TagMessage>? ToMessages(IReadOnlyDictionary<string, string>? tags) =>
        tags is null || tags.Count == 0
            ? null
            : tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new TagMessage { Key = t.Key, Value = t.Value }).ToArray();

    /// <summary>
    /// Tags from the wire as a dictionary (a later duplicate key wins). Throws <see cref="RegistryException"/>
    /// naming the element when a key is missing.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ToDictionary(IReadOnlyList<TagMessage>? tags, string field = "tags")
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (tags is null)
        {
            return result;
        }

        for (var i = 0; i < tags.Count; i++)
        {
            var tag = tags[i] ?? throw RegistryException.Invalid($"Missing value for required parameter '{field}[{i}]'.");
            if (tag.Key is null)
            {
                throw RegistryException.Invalid($"Missing value for required parameter '{field}[{i}].key'.");
            }

            result[tag.Key] = tag.Value ?? string.Empty;
        }

        return result;
    }

    /// <summary>A registered model from its wire form; missing optional fields become empty.</summary>
    public static RegisteredModel ToRegisteredModel(RegisteredModelMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new RegisteredModel(
            message.Name ?? string.Empty,
            message.CreationTimestamp,
            message.LastUpdatedTimestamp,
            message.Description ?? string.Empty,
            ToDictionary(message.Tags),
            message.Aliases?.Select(a => new ModelAlias(a.Alias ?? string.Empty, ParseVersion(a.Version, "aliases.version"))).ToArray() ?? [],
            message.LatestVersions?.Select(ToModelVersion).ToArray() ?? []);
    }

    /// <summary>A model version from its wire form; missing optional fields become empty.</summary>
    public static ModelVersion ToModelVersion(ModelVersionMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new ModelVersion(
            message.Name ?? string.Empty,
            ParseVersion(message.Version),
            message.CreationTimestamp,
            message.LastUpdatedTimestamp,
            message.Description ?? string.Empty,
            message.UserId ?? string.Empty,
            message.CurrentStage ?? "None",
            message.Source ?? string.Empty,
            message.RunId ?? string.Empty,
            message.RunLink ?? string.Empty,
            ParseStatus(message.Status),
            message.StatusMessage ?? string.Empty,
            ToDictionary(message.Tags),
            message.Aliases ?? [],
            message.ContentDigest ?? string.Empty);
    }

    /// <summary>An alias history entry from its wire form.</summary>
    public static AliasHistoryEntry ToAliasHistoryEntry(AliasHistoryEntryMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new AliasHistoryEntry(
            message.Id,
            message.Name ?? string.Empty,
            message.Alias ?? string.Empty,
            message.FromVersion is null ? null : ParseVersion(message.FromVersion, "from_version"),
            message.ToVersion is null ? null : ParseVersion(message.ToVersion, "to_version"),
            message.User ?? string.Empty,
            message.Reason ?? string.Empty,
            message.Timestamp);
    }

    /// <summary>An artifact listing entry from its wire form.</summary>
    public static ArtifactEntry ToArtifactEntry(FileInfoMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new ArtifactEntry(message.Path ?? string.Empty, message.IsDir, message.IsDir ? null : message.FileSize ?? 0);
    }

    /// <summary>A stored file from its wire form.</summary>
    public static StoredFile ToStoredFile(StoredFileMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new StoredFile(message.Path ?? string.Empty, message.Sha256 ?? string.Empty, message.Size);
    }
}

using Slipway.Core.Registry;

namespace Slipway.Core.Artifacts;

/// <summary>Validation of relative artifact paths: no traversal, no absolute paths, forward slashes only.</summary>
public static class ArtifactPath
{
    /// <summary>
    /// Returns the path with redundant slashes removed, or throws <see cref="RegistryException"/>
    /// (<see cref="RegistryErrorCode.InvalidParameterValue"/>, naming <paramref name="field"/>) when it is absolute,
    /// contains <c>..</c>, <c>.</c>, backslashes, NUL or other control characters.
    /// </summary>
    public static string Normalize(string? path, string field = "path", bool allowEmpty = false)
    {
        path ??= string.Empty;
        if (path.Length == 0)
        {
            return allowEmpty ? string.Empty : throw RegistryException.Invalid($"'{field}' must not be empty.");
        }

        if (path.StartsWith('/') || path.Contains('\\', StringComparison.Ordinal) || (path.Length > 1 && path[1] == ':'))
        {
            throw RegistryException.Invalid($"'{field}' must be a relative path, got '{path}'.");
        }

        if (path.Any(char.IsControl))
        {
            throw RegistryException.Invalid($"'{field}' contains control characters.");
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (var segment in segments)
        {
            if (segment is "." or "..")
            {
                throw RegistryException.Invalid($"'{field}' must not contain '.' or '..' segments, got '{path}'.");
            }
        }

        return segments.Length == 0 && !allowEmpty
            ? throw RegistryException.Invalid($"'{field}' must not be empty.")
            : string.Join('/', segments);
    }
}

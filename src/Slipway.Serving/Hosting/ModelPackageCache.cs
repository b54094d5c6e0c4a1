using System.Globalization;
using Slipway.Core.Registry;

namespace Slipway.Serving.Hosting;

/// <summary>
/// Downloads versions into a local folder per content digest. A folder appears under its final name only when every
/// file is written (it is filled under a temporary name and renamed), so a crash never leaves a half package behind.
/// </summary>
/// <param name="root">The folder that holds one sub-folder per cached package.</param>
public sealed class ModelPackageCache(string root)
{
    /// <summary>The package directory of <paramref name="version"/>, downloading it when not yet cached.</summary>
    public async Task<string> GetAsync(IModelRegistry registry, ModelVersion version, CancellationToken cancellationToken)
    {
        var final = Path.Combine(root, Key(version));
        if (Directory.Exists(final))
        {
            return final;
        }

        Directory.CreateDirectory(root);
        var partial = Path.Combine(root, ".partial-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(partial);
        try
        {
            var files = await registry.GetModelVersionFilesAsync(version.Name, version.Version, cancellationToken).ConfigureAwait(false);
            foreach (var file in files)
            {
                var target = Path.GetFullPath(Path.Combine(partial, file.Path));
                if (!target.StartsWith(partial + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    throw RegistryException.Invalid($"model file path '{file.Path}' leaves the model directory.");
                }

                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                var source = await registry.OpenModelVersionFileAsync(version.Name, version.Version, file.Path, cancellationToken).ConfigureAwait(false);
                await using (source.ConfigureAwait(false))
                {
                    var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                    await using (output.ConfigureAwait(false))
                    {
                        await source.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            try
            {
                Directory.Move(partial, final);
            }
            catch (IOException) when (Directory.Exists(final))
            {
                // Another load of the same content finished first; its copy is identical.
                Directory.Delete(partial, recursive: true);
            }

            return final;
        }
        catch
        {
            if (Directory.Exists(partial))
            {
                Directory.Delete(partial, recursive: true);
            }

            throw;
        }
    }

    private static string Key(ModelVersion version)
    {
        var digest = version.ContentDigest;
        if (digest.Length is >= 16 and <= 128 && digest.All(char.IsAsciiHexDigit))
        {
            return digest.ToLowerInvariant();
        }

        // No digest (not expected for a ready version): fall back to a name that cannot collide with one.
        var safe = string.Concat(version.Name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_'));
        return string.Create(CultureInfo.InvariantCulture, $"v-{safe}-{version.Version}-{Guid.NewGuid():N}");
    }
}

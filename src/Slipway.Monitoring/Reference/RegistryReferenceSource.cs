using System.Collections.Concurrent;
using System.Globalization;
using Slipway.Core.Registry;
using Slipway.Core.Statistics.Profiles;
using Slipway.Monitoring.Inference;

namespace Slipway.Monitoring.Reference;

/// <summary>
/// The reference profiles of model versions as stored in a registry (<see cref="ReferenceStore"/>), for the inference
/// monitor. Each version's profile is loaded once and kept for the life of the source (a reference attached to a version
/// that is already being served is seen after a restart). A version without a reference is cached as such too.
/// </summary>
public sealed class RegistryReferenceSource : IReferenceProfileSource
{
    private readonly IModelRegistry _registry;
    private readonly ConcurrentDictionary<(string Model, string Version), Lazy<Task<DatasetProfile?>>> _cache = new();

    /// <summary>Creates a source over <paramref name="registry"/>.</summary>
    public RegistryReferenceSource(IModelRegistry registry) => _registry = registry ?? throw new ArgumentNullException(nameof(registry));

    /// <inheritdoc />
    public Task<DatasetProfile?> GetAsync(string model, string version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(version);
        if (!long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return Task.FromResult<DatasetProfile?>(null);
        }

        var key = (model, version);

        // The load is shared by concurrent callers and not tied to one caller's token: a cancelled first caller must not
        // leave a cancelled task in the cache.
        var entry = _cache.GetOrAdd(key, _ => new Lazy<Task<DatasetProfile?>>(() => LoadAsync(key, number)));
        return entry.Value.WaitAsync(cancellationToken);
    }

    // key: the cache key as the caller spelt the version (which "03" and "3" both parse to).
    private async Task<DatasetProfile?> LoadAsync((string Model, string Version) key, long version)
    {
        try
        {
            return await ReferenceStore.LoadProfileAsync(_registry, key.Model, version, CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            // A failed load (registry unreachable) is retried by the next caller rather than cached.
            _cache.TryRemove(key, out _);
            throw;
        }
    }
}

using Slipway.Cli.CommandLine;
using Slipway.Core.Registry;
using Slipway.Mlflow.Client;
using Slipway.Storage;

namespace Slipway.Cli.Connection;

/// <summary>
/// An open registry: a <see cref="MlflowRegistryClient"/> for a server, or a <see cref="ModelRegistryService"/> over
/// the embedded stores of a local directory. Disposing it closes the client or the stores.
/// </summary>
public sealed class RegistryConnection : IAsyncDisposable
{
    private readonly IAsyncDisposable? _resources;

    private RegistryConnection(IModelRegistry registry, IAsyncDisposable? resources, RegistryAddress address)
    {
        Registry = registry;
        _resources = resources;
        Address = address;
    }

    /// <summary>The registry.</summary>
    public IModelRegistry Registry { get; }

    /// <summary>Where it is.</summary>
    public RegistryAddress Address { get; }

    /// <summary>Opens the registry at <paramref name="address"/>.</summary>
    public static async Task<RegistryConnection> OpenAsync(RegistryAddress address, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.ServerUri is { } server)
        {
            var client = new MlflowRegistryClient(server);
            return new RegistryConnection(client, new DisposableAdapter(client), address);
        }

        if (File.Exists(address.Directory))
        {
            throw new CliException($"registry '{address.Directory}' is a file; give a directory or an http(s) URL.");
        }

        var stores = await StorageFactory.OpenEmbeddedAsync(address.Directory!, time, cancellationToken).ConfigureAwait(false);
        var service = new ModelRegistryService(stores.Metadata, stores.Metadata, stores.Blobs, time, () => Environment.UserName);
        return new RegistryConnection(service, stores, address);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _resources?.DisposeAsync() ?? ValueTask.CompletedTask;

    private sealed class DisposableAdapter(IDisposable inner) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            inner.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

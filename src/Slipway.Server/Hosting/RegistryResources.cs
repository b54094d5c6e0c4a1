using Slipway.Core.Registry;
namespace Slipway.Server.Hosting;
internal sealed class RegistryResources : IAsyncDisposable
{
    public IModelRegistry Registry => throw new NotSupportedException();
    public static Task<RegistryResources> OpenAsync(SlipwayServerOptions options, TimeProvider time, CancellationToken cancellationToken) => throw new NotSupportedException();
    public ValueTask DisposeAsync() => default;
}

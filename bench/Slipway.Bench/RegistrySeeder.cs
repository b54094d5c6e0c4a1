using System.Globalization;
using Slipway.Core.Registry;
using Slipway.Storage;

namespace Slipway.Bench;

/// <summary>
/// Fills a registry with MODELS models of VERSIONS versions each, every model with alias <c>champion</c> on a random
/// version: the data set of the alias-resolution load test. Usage: <c>seed STORE_URI ARTIFACTS MODELS VERSIONS</c>.
/// </summary>
internal static class RegistrySeeder
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 4)
        {
            await Console.Error.WriteLineAsync("usage: seed STORE_URI ARTIFACTS MODELS VERSIONS");
            return 2;
        }

        var models = int.Parse(args[2], CultureInfo.InvariantCulture);
        var versions = int.Parse(args[3], CultureInfo.InvariantCulture);
        await using var metadata = await StorageFactory.OpenMetadataStoreAsync(args[0], TimeProvider.System, CancellationToken.None);
        var registry = new ModelRegistryService(metadata, metadata, StorageFactory.OpenBlobStore(args[1]), TimeProvider.System, () => "bench");

        // All versions share one small stored package: resolution cost does not depend on artifact size.
        using (var model = new MemoryStream("ir_version: 8\n"u8.ToArray()))
        {
            await registry.UploadArtifactAsync("seed/model/MLmodel", model, CancellationToken.None);
        }

        var random = new Random(42);
        for (var m = 0; m < models; m++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"model-{m}");
            await registry.CreateRegisteredModelAsync(name, "seeded", null, CancellationToken.None);
            for (var v = 0; v < versions; v++)
            {
                await registry.CreateModelVersionAsync(
                    new NewModelVersion(name, "mlflow-artifacts:/seed/model", "", "", "", "bench", new Dictionary<string, string>()),
                    CancellationToken.None);
            }

            await registry.SetAliasAsync(name, "champion", random.Next(1, versions + 1), "seed", CancellationToken.None);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {models} models x {versions} versions"));
        return 0;
    }
}

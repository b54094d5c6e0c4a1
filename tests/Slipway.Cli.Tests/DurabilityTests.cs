using System.Diagnostics;
using Slipway.Cli.Tests.Infrastructure;
using Slipway.Core.Registry;
using Slipway.Mlflow.Client;

namespace Slipway.Cli.Tests;

/// <summary>
/// Nothing is lost: the server is killed with SIGKILL in the middle of large uploads and registrations, three times.
/// After each restart every READY version still downloads byte-identical to its recorded digest, and retrying the
/// registration succeeds.
/// </summary>
public sealed class DurabilityTests
{
    private const long BigFileBytes = 150L * 1024 * 1024;

    [Fact]
    public async Task Killing_the_server_mid_upload_never_leaves_a_ready_version_with_bad_bytes()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        var data = work.Combine("server-data");
        var name = "big-" + Guid.NewGuid().ToString("N")[..10];
        var bigFile = work.Combine("weights.bin");
        WriteDeterministicFile(bigFile, BigFileBytes);
        var bigSha = Hashes.OfFile(bigFile);

        // A small ready version before any crash: it must survive all of them.
        await using (var first = await ServerProcess.StartAsync(work.Path, null, "--registry", data))
        {
            (await SlipwayExecutable.RunAsync(work.Path, "--registry", first.Url, "models", "register", name, RegistryScenario.IrisModel, "--columns", "a,b,c,d"))
                .ShouldSucceed();
        }

        for (var round = 0; round < 3; round++)
        {
            await using (var server = await ServerProcess.StartAsync(work.Path, null, "--registry", data))
            {
                using var client = new MlflowRegistryClient(new Uri(server.Url));
                var upload = $"_uploads/{Guid.NewGuid():N}";
                if (round == 1)
                {
                    // Kill while the server copies and hashes a fully uploaded file into a new version.
                    await using (var whole = File.OpenRead(bigFile))
                    {
                        await client.UploadArtifactAsync($"{upload}/weights.bin", whole, CancellationToken.None);
                    }

                    var creating = client.CreateModelVersionAsync(NewVersion(name, upload), CancellationToken.None);
                    await Task.WhenAny(creating, Task.Delay(150));
                    await server.KillAsync();
                    await SwallowAsync(creating);
                }
                else if (round == 2)
                {
                    // Kill while the real CLI registers a big MLflow model directory.
                    var modelDirectory = await BigModelDirectoryAsync(work, server.Url, name, bigFile);
                    await KillDuringCliRegisterAsync(work, server, data, name, modelDirectory);
                }
                else
                {
                    // Kill while the bytes are still streaming in.
                    var counting = new CountingStream(File.OpenRead(bigFile), BigFileBytes / (3 + round));
                    var uploading = client.UploadArtifactAsync($"{upload}/weights.bin", counting, CancellationToken.None);
                    await Task.WhenAny(counting.ThresholdPassed, uploading);
                    await server.KillAsync();
                    await Assert.ThrowsAnyAsync<Exception>(() => uploading);
                    await counting.DisposeAsync();
                }
            }

            // Restart on the same data: every ready version is intact, and the registration can be retried.
            await using (var restarted = await ServerProcess.StartAsync(work.Path, null, "--registry", data))
            {
                await AssertEveryReadyVersionIntactAsync(work, restarted.Url, name, round);
                using var client = new MlflowRegistryClient(new Uri(restarted.Url));
                var retry = $"_uploads/{Guid.NewGuid():N}";
                await using (var whole = File.OpenRead(bigFile))
                {
                    var stored = await client.UploadArtifactAsync($"{retry}/weights.bin", whole, CancellationToken.None);
                    Assert.Equal(bigSha, stored.Sha256);
                }

                var version = await client.CreateModelVersionAsync(NewVersion(name, retry), CancellationToken.None);
                Assert.Equal(ModelVersionStatus.Ready, version.Status);
                var files = await client.GetModelVersionFilesAsync(name, version.Version, CancellationToken.None);
                Assert.Equal(bigSha, Assert.Single(files).Sha256);
            }
        }

        await using var last = await ServerProcess.StartAsync(work.Path, null, "--registry", data);
        await AssertEveryReadyVersionIntactAsync(work, last.Url, name, 3);
    }

    // The request may have finished just before the kill, or died with the server: both are fine here, what the
    // restarted server holds is what the test checks.
    private static async Task SwallowAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (HttpRequestException)
        {
        }
        catch (IOException)
        {
        }
        catch (RegistryException)
        {
        }
    }

    // An MLflow model directory: the small iris package plus the big file, so the CLI uploads 150 MB.
    private static async Task<string> BigModelDirectoryAsync(Slipway.Testing.TempDirectory work, string url, string name, string bigFile)
    {
        var directory = work.Combine("big-model");
        (await SlipwayExecutable.RunAsync(work.Path, "--registry", url, "models", "download", name, "1", "--out", directory)).ShouldSucceed();
        File.Copy(bigFile, Path.Combine(directory, "weights.bin"));
        return directory;
    }

    private static async Task KillDuringCliRegisterAsync(
        Slipway.Testing.TempDirectory work, ServerProcess server, string data, string name, string modelDirectory)
    {
        var before = DirectoryBytes(data);
        using var cli = Process.Start(SlipwayExecutable.StartInfo(work.Path, null, ["--registry", server.Url, "models", "register", name, modelDirectory]))!;
        cli.StandardInput.Close();
        var stdout = cli.StandardOutput.ReadToEndAsync();
        var stderr = cli.StandardError.ReadToEndAsync();

        // The server's storage grows as the upload streams in; kill it a third of the way through.
        var waited = Stopwatch.StartNew();
        while (!cli.HasExited && DirectoryBytes(data) < before + (BigFileBytes / 3) && waited.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(20);
        }

        var finishedFirst = cli.HasExited;
        await server.KillAsync();
        await cli.WaitForExitAsync();
        var result = new CliResult(["models", "register"], cli.ExitCode, await stdout, await stderr);
        if (finishedFirst)
        {
            result.ShouldSucceed();
        }
        else
        {
            result.ShouldFailWith(1, "registry");
        }
    }

    private static long DirectoryBytes(string directory)
    {
        long total = 0;
        foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            try
            {
                total += file.Length;
            }
            catch (FileNotFoundException)
            {
                // A temporary file renamed or removed while we looked.
            }
        }

        return total;
    }

    private static NewModelVersion NewVersion(string name, string upload) =>
        new(name, "mlflow-artifacts:/" + upload, string.Empty, string.Empty, string.Empty, "durability-test", new Dictionary<string, string>());

    private static async Task AssertEveryReadyVersionIntactAsync(Slipway.Testing.TempDirectory work, string url, string name, int round)
    {
        var versions = (await SlipwayExecutable.RunAsync(work.Path, "--registry", url, "--output", "json", "models", "versions", name))
            .ShouldSucceed().Json().GetProperty("versions").EnumerateArray().ToList();
        var ready = versions.Where(v => v.GetProperty("status").GetString() == "READY").ToList();

        // The small first version plus one retried big version per completed round.
        Assert.True(ready.Count >= 1 + round, $"round {round}: expected at least {1 + round} ready versions, got {ready.Count}");
        foreach (var version in ready)
        {
            var number = version.GetProperty("version").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
            var target = work.Combine($"check-{round}-{number}-{Guid.NewGuid():N}");
            (await SlipwayExecutable.RunAsync(work.Path, "--registry", url, "models", "download", name, number, "--out", target)).ShouldSucceed();
            Assert.Equal(version.GetProperty("content_digest").GetString(), Hashes.ContentDigest(target));
            Directory.Delete(target, recursive: true);
        }
    }

    private static void WriteDeterministicFile(string path, long bytes)
    {
        var random = new Random(20240611);
        var buffer = new byte[1 << 20];
        using var file = File.Create(path);
        for (long written = 0; written < bytes; written += buffer.Length)
        {
            random.NextBytes(buffer);
            file.Write(buffer, 0, (int)Math.Min(buffer.Length, bytes - written));
        }
    }
}

using System.Globalization;
using Slipway.Testing;

namespace Slipway.Cli.Tests.Build;

/// <summary>
/// buildah and podman with settings that work on a cgroup v1, user-namespaced machine (runc, cgroupfs, host network,
/// vfs storage) and their own storage in a temporary folder, so tests never touch the machine's images.
/// </summary>
public sealed class ContainerTools : IDisposable
{
    private readonly TempDirectory root = new("slipway-containers");

    /// <summary>Writes the configuration files.</summary>
    public ContainerTools()
    {
        File.WriteAllText(root.Combine("containers.conf"), """
            [containers]
            default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]
            netns = "host"
            [engine]
            cgroup_manager = "cgroupfs"
            events_logger = "file"
            runtime = "runc"
            """);
        File.WriteAllText(root.Combine("storage.conf"), $"""
            [storage]
            driver = "vfs"
            graphroot = "{root.Combine("graph")}"
            runroot = "{root.Combine("run")}"
            """);
        Environment = new Dictionary<string, string>
        {
            ["CONTAINERS_CONF"] = root.Combine("containers.conf"),
            ["CONTAINERS_STORAGE_CONF"] = root.Combine("storage.conf"),
        };
    }

    /// <summary>The environment variables that point buildah and podman at these settings.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>Runs <c>podman ARGS</c>; returns standard output trimmed, throws on failure.</summary>
    public async Task<string> PodmanAsync(params string[] arguments) =>
        (await ProcessRunner.RunAsync("podman", arguments, new Dictionary<string, string>(Environment), TimeSpan.FromMinutes(3))).Trim();

    /// <summary>Waits until <paramref name="url"/> answers 200, failing after <paramref name="timeout"/>.</summary>
    public static async Task WaitForOkAsync(HttpClient client, string url, TimeSpan timeout, Func<Task<string>> diagnostics)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (System.Diagnostics.Stopwatch.GetElapsedTime(started) < timeout)
        {
            try
            {
                using var response = await client.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        var details = await diagnostics();
        Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"{url} did not answer 200 within {timeout.TotalSeconds} s.\n{details}"));
    }

    public void Dispose() => root.Dispose();
}

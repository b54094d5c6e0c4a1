using Slipway.Cli.Tests.Infrastructure;

namespace Slipway.Cli.Tests;

/// <summary>The same CLI scenario against a real <c>slipway server</c> process on a free port.</summary>
public sealed class ServerRegistryTests
{
    [Fact]
    public async Task Scenario_passes_against_a_server_on_sqlite_and_files()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        await using var server = await ServerProcess.StartAsync(work.Path, null, "--registry", work.Combine("server-data"));
        await RegistryScenario.RunAsync(server.Url, work);

        // The server kept everything in its embedded directory, not in the client's working directory.
        Assert.True(File.Exists(work.Combine("server-data", "slipway.db")));
        Assert.False(Directory.Exists(work.Combine(".slipway")));
    }

    [Fact]
    public async Task Server_url_can_come_from_the_environment()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        await using var server = await ServerProcess.StartAsync(work.Path, null, "--registry", work.Combine("server-data"));
        var name = "iris-" + Guid.NewGuid().ToString("N")[..10];
        var env = new Dictionary<string, string> { ["MLFLOW_TRACKING_URI"] = server.Url };
        (await SlipwayExecutable.RunAsync(work.Path, env, "models", "register", name, RegistryScenario.IrisModel, "--columns", "a,b,c,d")).ShouldSucceed();
        var shown = (await SlipwayExecutable.RunAsync(work.Path, new Dictionary<string, string> { ["SLIPWAY_TRACKING_URI"] = server.Url },
            "--output", "json", "models", "show", name)).ShouldSucceed().Json();
        Assert.Equal(1, shown.GetProperty("latest_version").GetInt64());
        Assert.False(Directory.Exists(work.Combine(".slipway")));
    }

    [Fact]
    public async Task Server_errors_reach_the_cli_as_one_line()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        await using var server = await ServerProcess.StartAsync(work.Path, null, "--registry", work.Combine("server-data"));
        (await SlipwayExecutable.RunAsync(work.Path, "--registry", server.Url, "models", "show", "no-such-model")).ShouldFailWith(1, "no-such-model");
        (await SlipwayExecutable.RunAsync(work.Path, "--registry", server.Url, "alias", "set", "no-such-model", "champion", "1")).ShouldFailWith(1, "no-such-model");
    }

    [Fact]
    public async Task Server_with_a_bad_store_uri_fails_with_one_line()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        var result = await SlipwayExecutable.RunAsync(work.Path, "server", "--urls", $"http://127.0.0.1:{Slipway.Testing.FreePort.Next()}", "--store", "mysql://x/y");
        result.ShouldFailWith(1, "--store");
    }

    [Fact]
    public async Task Server_stops_cleanly_on_sigterm_and_keeps_its_data()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        var data = work.Combine("server-data");
        var name = "iris-" + Guid.NewGuid().ToString("N")[..10];
        await using (var server = await ServerProcess.StartAsync(work.Path, null, "--registry", data))
        {
            (await SlipwayExecutable.RunAsync(work.Path, "--registry", server.Url, "models", "register", name, RegistryScenario.IrisModel, "--columns", "a,b,c,d"))
                .ShouldSucceed();
            Assert.Equal(0, await server.TerminateAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("Slipway listening on " + server.Url, server.Output, StringComparison.Ordinal);
        }

        // Embedded mode reads what the server wrote.
        (await SlipwayExecutable.RunAsync(work.Path, "--registry", data, "models", "show", name)).ShouldSucceed();
    }
}

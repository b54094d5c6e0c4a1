using Slipway.Cli.Tests.Infrastructure;

namespace Slipway.Cli.Tests;

/// <summary><c>experiments</c> and <c>runs</c> commands: the tracking scenario embedded and against a real server, and bad input.</summary>
public sealed class TrackingCommandTests
{
    [Fact]
    public async Task Scenario_passes_embedded()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        await TrackingScenario.RunAsync(work.Combine("registry"), work);
    }

    [Fact]
    public async Task Scenario_passes_against_a_server()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        await using var server = await ServerProcess.StartAsync(work.Path, null, "--registry", work.Combine("server-data"));
        await TrackingScenario.RunAsync(server.Url, work);
        Assert.False(Directory.Exists(work.Combine(".slipway")));
    }

    [Fact]
    public async Task Bad_input_gets_one_line_and_a_non_zero_exit()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        var registry = work.Combine("registry");
        var logged = await TrackingScenario.LogAsync(registry);
        Task<CliResult> Slipway(params string[] args) => SlipwayExecutable.RunAsync(work.Path, ["--registry", registry, .. args]);

        var missing = new string('a', 32);
        (await Slipway("runs", "show", missing)).ShouldFailWith(1, missing);
        (await Slipway("runs", "show", "not-a-run")).ShouldFailWith(1, "not-a-run");
        (await Slipway("runs", "compare", logged.Slow)).ShouldFailWith(1, "at least two");
        (await Slipway("runs", "compare", logged.Slow, logged.Slow)).ShouldFailWith(1, "more than once");
        (await Slipway("runs", "compare", logged.Slow, missing)).ShouldFailWith(1, missing);
        (await Slipway("runs", "list", "--experiment", "no-such-experiment")).ShouldFailWith(1, "no-such-experiment");
        (await Slipway("runs", "list", "--experiment", "424242")).ShouldFailWith(1, "424242");
        (await Slipway("runs", "list", "--experiment", logged.ExperimentName, "--filter", "metrics.auc >> 1")).ShouldFailWith(1, "metrics.auc");
        (await Slipway("runs", "list", "--experiment", logged.ExperimentName, "--order-by", "bogus_attribute DESC")).ShouldFailWith(1, "bogus_attribute");
        (await Slipway("runs", "list", "--max", "0")).ShouldFailWith(1, "--max");
        (await Slipway("experiments", "show", "no-such-experiment")).ShouldFailWith(1, "no-such-experiment");
        (await Slipway("experiments", "list", "--filter", "nme = 'x'")).ShouldFailWith(1, "nme");
        (await Slipway("experiments", "list", "--view", "sideways")).ShouldFailWith(2, "sideways");
        (await Slipway("runs", "compare")).ShouldFailWith(2, "compare");
    }

    [Fact]
    public async Task Server_errors_reach_the_cli_as_one_line()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        await using var server = await ServerProcess.StartAsync(work.Path, null, "--registry", work.Combine("server-data"));
        var missing = new string('b', 32);
        (await SlipwayExecutable.RunAsync(work.Path, "--registry", server.Url, "runs", "show", missing)).ShouldFailWith(1, missing);
        (await SlipwayExecutable.RunAsync(work.Path, "--registry", server.Url, "experiments", "show", "no-such-experiment")).ShouldFailWith(1, "no-such-experiment");
        (await SlipwayExecutable.RunAsync(work.Path, "--registry", server.Url, "runs", "list", "--filter", "metrics.auc >> 1")).ShouldFailWith(1, "metrics.auc");
    }

    [Fact]
    public async Task Empty_registry_lists_only_the_default_experiment_and_no_runs()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        var registry = work.Combine("registry");
        var experiments = (await SlipwayExecutable.RunAsync(work.Path, "--registry", registry, "--output", "json", "experiments", "list")).ShouldSucceed().Json();
        Assert.Equal("Default", Assert.Single(experiments.GetProperty("experiments").EnumerateArray()).GetProperty("name").GetString());
        var runs = (await SlipwayExecutable.RunAsync(work.Path, "--registry", registry, "runs", "list")).ShouldSucceed();
        Assert.Contains("No runs.", runs.StdOut, StringComparison.Ordinal);
    }
}

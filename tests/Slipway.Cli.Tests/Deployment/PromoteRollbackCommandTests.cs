using Slipway.Cli.Tests.Infrastructure;

namespace Slipway.Cli.Tests.Deployment;

/// <summary>
/// <c>slipway policy</c>, <c>promote</c>, <c>rollback</c> and <c>deployment show</c> on the real executable over an
/// embedded registry: a failing gate exits 4 naming the gate, a protected alias refuses a plain set, a rollback to an
/// incompatible contract exits 4 naming each missing column until forced.
/// </summary>
public sealed class PromoteRollbackCommandTests : IDisposable
{
    private readonly TempDirectoryHolder _work = new();
    private readonly string _name = "iris-" + Guid.NewGuid().ToString("N")[..10];

    private string Registry => _work.Directory.Combine("registry");

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Gated_promotion_protected_alias_and_contract_checked_rollback()
    {
        (await Run("models", "register", _name, RegistryScenario.IrisModel, "--columns", "a,b,c,d", "--metric", "accuracy=0.95")).ShouldSucceed();
        (await Run("models", "register", _name, RegistryScenario.IrisModel, "--columns", "a,b,c,d", "--metric", "accuracy=0.80")).ShouldSucceed();
        (await Run("models", "register", _name, RegistryScenario.IrisModel, "--columns", "e,f,g,h", "--metric", "accuracy=0.97")).ShouldSucceed();

        var first = (await Run("promote", _name, "1", "--alias", "champion", "--output", "json")).ShouldSucceed().Json();
        Assert.Equal("passed", first.GetProperty("outcome").GetString());

        var strict = await PolicyFileAsync("strict.yaml", "gates:\n  metrics:\n    - accuracy >= champion.accuracy - 0.01\n");
        (await Run("policy", "set", _name, "champion", strict)).ShouldSucceed();
        (await Run("alias", "set", _name, "champion", "2")).ShouldFailWith(1, "protected");

        var failed = await Run("promote", _name, "2", "--alias", "champion");
        failed.ShouldFailWith(4, "metric accuracy >= champion.accuracy - 0.01");
        Assert.Contains("0.8", failed.ErrorLines[0], StringComparison.Ordinal);
        Assert.Contains("FAILED", failed.StdOut, StringComparison.Ordinal);
        var failedJson = await Run("promote", _name, "2", "--alias", "champion", "--output", "json");
        Assert.Equal(4, failedJson.ExitCode);
        Assert.Equal("failed", failedJson.Json().GetProperty("outcome").GetString());

        var dryRun = (await Run("promote", _name, "3", "--alias", "champion", "--dry-run", "--output", "json")).Json();
        Assert.Equal("dry_run", dryRun.GetProperty("outcome").GetString());
        Assert.Contains("input contract", dryRun.GetProperty("gates").EnumerateArray().Where(g => g.GetProperty("outcome").GetString() == "failed").Select(g => g.GetProperty("name").GetString()));

        // Version 3 renames every input: only a policy without the signature gate lets it through.
        var loose = await PolicyFileAsync("loose.yaml", "gates:\n  signature:\n    enabled: false\n");
        (await Run("policy", "set", _name, "champion", loose)).ShouldSucceed();
        (await Run("promote", _name, "3", "--alias", "champion")).ShouldSucceed();

        var refused = await Run("rollback", _name, "--alias", "champion");
        refused.ShouldFailWith(4, "missing column 'a'");
        foreach (var column in new[] { "'b'", "'c'", "'d'", "--force" })
        {
            Assert.Contains(column, refused.ErrorLines[0], StringComparison.Ordinal);
        }

        var forced = (await Run("rollback", _name, "--alias", "champion", "--force", "--reason", "incident 7", "--output", "json")).ShouldSucceed().Json();
        Assert.Equal("forced", forced.GetProperty("outcome").GetString());
        Assert.Equal(1, forced.GetProperty("to_version").GetInt64());

        var shown = (await Run("deployment", "show", _name, "--alias", "champion", "--output", "json")).ShouldSucceed().Json();
        Assert.Equal(
            ["rollback/forced", "rollback/failed", "promote/passed", "promote/dry_run", "promote/failed", "promote/failed", "promote/passed"],
            shown.GetProperty("promotions").EnumerateArray().Select(p => $"{p.GetProperty("kind").GetString()}/{p.GetProperty("outcome").GetString()}"));
        var history = (await Run("policy", "history", _name, "--output", "json")).ShouldSucceed().Json();
        Assert.Equal(2, history.GetProperty("policies").GetArrayLength());
        var aliases = (await Run("alias", "history", _name, "--output", "json")).ShouldSucceed().StdOut;
        Assert.Contains("incident 7", aliases, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_inputs_exit_non_zero_with_one_line_naming_the_problem()
    {
        (await Run("models", "register", _name, RegistryScenario.IrisModel, "--columns", "a,b,c,d")).ShouldSucceed();
        (await Run("promote", _name, "1")).ShouldFailWith(2, "--alias");
        (await Run("promote", _name, "one", "--alias", "champion")).ShouldFailWith(1, "'one'");
        (await Run("promote", _name, "9", "--alias", "champion")).ShouldFailWith(1, "version=9");
        (await Run("promote", _name, "1", "--alias", "champion", "--canary", "150")).ShouldFailWith(1, "--canary '150'");
        (await Run("promote", _name, "1", "--alias", "champion", "--canary", "10", "--shadow", "10")).ShouldFailWith(1, "--shadow");
        (await Run("promote", _name, "1", "--alias", "champion", "--sticky-header", "X-User")).ShouldFailWith(1, "--sticky-header");
        (await Run("promote", _name, "1", "--alias", "champion", "--canary")).ShouldFailWith(1, "promote directly first");
        (await Run("rollback", _name, "--alias", "champion")).ShouldFailWith(1, "nothing to roll back");
        (await Run("rollback", _name, "--alias", "champion", "--to", "zero")).ShouldFailWith(1, "'zero'");
        (await Run("policy", "set", _name, "champion", _work.Directory.Combine("none.yaml"))).ShouldFailWith(1, "none.yaml");
        var bad = await PolicyFileAsync("bad.yaml", "gates:\n  latency:\n    p99_ms: fast\n");
        (await Run("policy", "set", _name, "champion", bad)).ShouldFailWith(1, "gates.latency.p99_ms");
        (await Run("policy", "show", _name, "champion")).ShouldFailWith(1, "no gate policy");
        (await Run("deployment", "stop", _name, "--alias", "champion")).ShouldFailWith(1, "no canary or shadow");
    }

    private async Task<string> PolicyFileAsync(string file, string yaml)
    {
        var path = _work.Directory.Combine(file);
        await File.WriteAllTextAsync(path, yaml);
        return path;
    }

    private Task<CliResult> Run(params string[] args) =>
        SlipwayExecutable.RunAsync(_work.Directory.Path, ["--registry", Registry, .. args]);
}

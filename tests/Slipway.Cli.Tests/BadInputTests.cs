using Slipway.Cli.Tests.Infrastructure;

namespace Slipway.Cli.Tests;

/// <summary>
/// Failures people and scripts will hit: each exits non-zero with exactly one <c>error:</c> line naming the problem,
/// never a stack trace. Usage errors exit 2.
/// </summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private readonly Infrastructure.TempDirectoryHolder _work = new();
    private string _name = string.Empty;

    private string Registry => _work.Directory.Combine("registry");

    public async Task InitializeAsync()
    {
        _name = "iris-" + Guid.NewGuid().ToString("N")[..10];
        (await Run("models", "register", _name, RegistryScenario.IrisModel, "--columns", "a,b,c,d")).ShouldSucceed();
    }

    public Task DisposeAsync()
    {
        _work.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Unknown_model_is_named()
    {
        (await Run("models", "show", "no-such-model")).ShouldFailWith(1, "no-such-model");
        (await Run("models", "versions", "no-such-model")).ShouldFailWith(1, "no-such-model");
        (await Run("alias", "history", "no-such-model")).ShouldFailWith(1, "no-such-model");
        (await Run("models", "download", "models:/no-such-model/1", "--out", _work.Directory.Combine("x"))).ShouldFailWith(1, "no-such-model");
    }

    [Fact]
    public async Task Bad_versions_are_rejected()
    {
        (await Run("alias", "set", _name, "champion", "seven")).ShouldFailWith(1, "seven");
        (await Run("alias", "set", _name, "champion", "99")).ShouldFailWith(1, "99");
        (await Run("models", "download", _name, "0", "--out", _work.Directory.Combine("x"))).ShouldFailWith(1, "'0'");
        (await Run("models", "download", _name, "99", "--out", _work.Directory.Combine("y"))).ShouldFailWith(1, "99");
        (await Run("models", "download", "models:/" + _name + "/abc", "--out", _work.Directory.Combine("z"))).ShouldFailWith(1, "models:/");
        (await Run("models", "download", $"models:/{_name}@nobody", "--out", _work.Directory.Combine("w"))).ShouldFailWith(1, "nobody");
        Assert.False(Directory.Exists(_work.Directory.Combine("y")) && Directory.EnumerateFileSystemEntries(_work.Directory.Combine("y")).Any());
    }

    [Fact]
    public async Task Missing_files_are_named()
    {
        (await Run("models", "register", _name, _work.Directory.Combine("missing.onnx"))).ShouldFailWith(1, "missing.onnx");
        (await Run("models", "register", _name, RegistryScenario.IrisModel, "--data", _work.Directory.Combine("nodata.csv"))).ShouldFailWith(1, "nodata.csv");
        (await Run("models", "register", _name, RegistryScenario.IrisModel, "--input-example", _work.Directory.Combine("noex.json"))).ShouldFailWith(1, "noex.json");
        (await Run("models", "register", _name, RegistryScenario.IrisModel, "--reference-data", _work.Directory.Combine("noref.csv"))).ShouldFailWith(1, "noref.csv");
    }

    [Fact]
    public async Task Non_numeric_metric_is_named_and_nothing_is_registered()
    {
        (await Run("models", "register", _name, RegistryScenario.IrisModel, "--metric", "accuracy=high")).ShouldFailWith(1, "accuracy");
        (await Run("models", "register", _name, RegistryScenario.IrisModel, "--metric", "noequals")).ShouldFailWith(1, "noequals");
        (await Run("models", "register", _name, RegistryScenario.IrisModel, "--tag", "slipway.metric.x=1")).ShouldFailWith(1, "reserved");
        var versions = (await Run("--output", "json", "models", "versions", _name)).ShouldSucceed().Json();
        Assert.Equal(1, versions.GetProperty("versions").GetArrayLength());
    }

    [Fact]
    public async Task Bad_registry_addresses_fail_with_one_line()
    {
        (await SlipwayExecutable.RunAsync(_work.Directory.Path, "--registry", "ftp://example/models", "models", "list")).ShouldFailWith(1, "ftp://example/models");
        (await SlipwayExecutable.RunAsync(_work.Directory.Path, "--registry", "http://", "models", "list")).ShouldFailWith(1, "http://");
        var file = _work.Directory.Combine("a-file");
        await File.WriteAllTextAsync(file, "x");
        (await SlipwayExecutable.RunAsync(_work.Directory.Path, "--registry", file, "models", "list")).ShouldFailWith(1, "a-file");

        // Nothing listens on a port that was just free: the reason says the registry cannot be reached.
        var url = $"http://127.0.0.1:{Slipway.Testing.FreePort.Next()}";
        (await SlipwayExecutable.RunAsync(_work.Directory.Path, "--registry", url, "models", "list")).ShouldFailWith(1, "cannot reach");
        var env = new Dictionary<string, string> { ["SLIPWAY_TRACKING_URI"] = "s3://bucket/models" };
        (await SlipwayExecutable.RunAsync(_work.Directory.Path, env, "models", "list")).ShouldFailWith(1, "s3://bucket/models");
    }

    [Fact]
    public async Task Download_refuses_a_non_empty_directory()
    {
        var target = _work.Directory.Combine("busy");
        Directory.CreateDirectory(target);
        await File.WriteAllTextAsync(Path.Combine(target, "keep.txt"), "mine");
        (await Run("models", "download", _name, "1", "--out", target)).ShouldFailWith(1, "not empty");
        Assert.Equal<string>(["keep.txt"], Directory.GetFiles(target).Select(f => Path.GetFileName(f)).ToArray());
    }

    [Fact]
    public async Task Usage_errors_exit_2()
    {
        var unknownOption = await Run("models", "list", "--bogus");
        Assert.Equal(2, unknownOption.ExitCode);
        Assert.Contains("--bogus", unknownOption.StdErr, StringComparison.Ordinal);
        var missingArgument = await Run("models", "register", _name);
        Assert.Equal(2, missingArgument.ExitCode);
        Assert.Contains("register", missingArgument.StdErr, StringComparison.Ordinal);
        var badOutput = await Run("--output", "xml", "models", "list");
        Assert.Equal(2, badOutput.ExitCode);
        Assert.Contains("xml", badOutput.StdErr, StringComparison.Ordinal);
        var noOut = await Run("models", "download", _name, "1");
        Assert.Equal(2, noOut.ExitCode);
        Assert.Contains("--out", noOut.StdErr, StringComparison.Ordinal);
        foreach (var result in new[] { unknownOption, missingArgument, badOutput, noOut })
        {
            Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
        }
    }

    private Task<CliResult> Run(params string[] args) =>
        SlipwayExecutable.RunAsync(_work.Directory.Path, ["--registry", Registry, .. args]);
}

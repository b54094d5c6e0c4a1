using Slipway.Cli.Tests.Infrastructure;

namespace Slipway.Cli.Tests;

/// <summary>The CLI on an embedded registry (SQLite + files in a local directory), chosen every supported way.</summary>
public sealed class EmbeddedRegistryTests
{
    [Fact]
    public async Task Scenario_passes_on_an_embedded_directory()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        await RegistryScenario.RunAsync(work.Combine("registry"), work);
        Assert.True(File.Exists(work.Combine("registry", "slipway.db")), "the embedded registry keeps its metadata in slipway.db");
    }

    [Fact]
    public async Task Without_registry_option_or_environment_the_default_is_dot_slipway_in_the_working_directory()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        var name = "iris-" + Guid.NewGuid().ToString("N")[..10];
        (await SlipwayExecutable.RunAsync(work.Path, "models", "register", name, RegistryScenario.IrisModel, "--columns", "a,b,c,d")).ShouldSucceed();
        Assert.True(File.Exists(work.Combine(".slipway", "slipway.db")));

        // The same registry is found again through each environment variable, and --registry wins over both.
        foreach (var variable in new[] { "SLIPWAY_TRACKING_URI", "MLFLOW_TRACKING_URI" })
        {
            using var elsewhere = SlipwayExecutable.NewWorkingDirectory();
            var env = new Dictionary<string, string> { [variable] = work.Combine(".slipway") };
            var found = (await SlipwayExecutable.RunAsync(elsewhere.Path, env, "--output", "json", "models", "show", name)).ShouldSucceed().Json();
            Assert.Equal(name, found.GetProperty("name").GetString());
            (await SlipwayExecutable.RunAsync(elsewhere.Path, env, "--registry", elsewhere.Combine("empty"), "models", "show", name))
                .ShouldFailWith(1, name);
        }

        // SLIPWAY_TRACKING_URI takes precedence over MLFLOW_TRACKING_URI.
        using var third = SlipwayExecutable.NewWorkingDirectory();
        var both = new Dictionary<string, string>
        {
            ["SLIPWAY_TRACKING_URI"] = work.Combine(".slipway"),
            ["MLFLOW_TRACKING_URI"] = third.Combine("other"),
        };
        (await SlipwayExecutable.RunAsync(third.Path, both, "models", "show", name)).ShouldSucceed();
    }

    [Fact]
    public async Task Register_stores_reference_data_with_the_version_beside_the_package()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        var registry = work.Combine("registry");
        var name = "iris-" + Guid.NewGuid().ToString("N")[..10];
        var reference = work.Combine("reference.csv");
        await File.WriteAllTextAsync(reference, "a,b,c,d\n1,2,3,4\n5,6,7,8\n");
        var tags = (await SlipwayExecutable.RunAsync(work.Path, "--registry", registry, "models", "register", name, RegistryScenario.IrisModel,
            "--columns", "a,b,c,d", "--reference-data", reference, "--output", "json")).ShouldSucceed().Json().GetProperty("tags");
        Assert.StartsWith($"model-references/{name}/1/", tags.GetProperty("slipway.reference.data").GetString(), StringComparison.Ordinal);
        Assert.Equal("2", tags.GetProperty("slipway.reference.rows").GetString());

        // The package holds the model only: its content digest does not change with the reference.
        var target = work.Combine("out");
        (await SlipwayExecutable.RunAsync(work.Path, "--registry", registry, "models", "download", name, "1", "--out", target)).ShouldSucceed();
        Assert.False(Directory.Exists(Path.Combine(target, "reference")));
        Assert.True(File.Exists(Path.Combine(target, "MLmodel")));
    }

    [Fact]
    public async Task Json_output_field_names_are_a_stable_contract()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        var name = "iris-" + Guid.NewGuid().ToString("N")[..10];
        Task<CliResult> Run(params string[] args) => SlipwayExecutable.RunAsync(work.Path, ["--registry", work.Combine("r"), "--output", "json", .. args]);
        var version = (await Run("models", "register", name, RegistryScenario.IrisModel, "--columns", "a,b,c,d")).ShouldSucceed().Json();
        Assert.Equal(
            ["name", "version", "status", "status_message", "source", "run_id", "description", "user_id", "creation_timestamp", "last_updated_timestamp", "content_digest", "aliases", "tags"],
            version.EnumerateObject().Select(p => p.Name).ToArray());
        var model = (await Run("models", "show", name)).ShouldSucceed().Json();
        Assert.Equal(
            ["name", "description", "creation_timestamp", "last_updated_timestamp", "latest_version", "aliases", "tags"],
            model.EnumerateObject().Select(p => p.Name).ToArray());
        var alias = (await Run("alias", "set", name, "champion", "1", "--reason", "why")).ShouldSucceed().Json();
        Assert.Equal(["name", "alias", "version", "reason"], alias.EnumerateObject().Select(p => p.Name).ToArray());
        var entry = (await Run("alias", "history", name)).ShouldSucceed().Json().GetProperty("history")[0];
        Assert.Equal(
            ["id", "alias", "from_version", "to_version", "user", "reason", "timestamp"],
            entry.EnumerateObject().Select(p => p.Name).ToArray());
        var download = (await Run("models", "download", name, "1", "--out", work.Combine("d"))).ShouldSucceed().Json();
        Assert.Equal(["name", "version", "directory", "files", "bytes"], download.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(["path", "sha256", "size"], download.GetProperty("files")[0].EnumerateObject().Select(p => p.Name).ToArray());
    }
}

using System.Diagnostics;
using System.Text.Json;
using Slipway.Cli.Tests.Infrastructure;
using Slipway.Testing;

namespace Slipway.Cli.Tests;

/// <summary>
/// The CLI scenario every registry target must pass, run through the real executable: register (with columns,
/// metrics, tags and data lineage), list / show / versions in both formats, alias set / history / delete, and
/// download with byte-level checks.
/// </summary>
public static class RegistryScenario
{
    private const string Columns = "sepal_length,sepal_width,petal_length,petal_width";

    /// <summary>The iris model shipped with the repository.</summary>
    public static string IrisModel => RepoPaths.Combine("testdata", "models", "iris_logreg.onnx");

    /// <summary>Runs the scenario against <paramref name="registry"/> (a directory or a server URL).</summary>
    public static async Task RunAsync(string registry, TempDirectory work, IReadOnlyDictionary<string, string>? environment = null)
    {
        var name = "iris-" + Guid.NewGuid().ToString("N")[..10];
        Task<CliResult> Slipway(params string[] args) =>
            SlipwayExecutable.RunAsync(work.Path, environment, ["--registry", registry, .. args]);

        // Training data: one file and one folder, fingerprinted into lineage.
        var dataFile = work.Combine("train.csv");
        await File.WriteAllTextAsync(dataFile, "sepal_length,sepal_width,petal_length,petal_width,label\n5.1,3.5,1.4,0.2,0\n");
        var dataFolder = work.Combine("features");
        Directory.CreateDirectory(Path.Combine(dataFolder, "part"));
        await File.WriteAllTextAsync(Path.Combine(dataFolder, "a.csv"), "x\n1\n");
        await File.WriteAllTextAsync(Path.Combine(dataFolder, "part", "b.csv"), "y\n2\n");

        // Register version 1.
        var v1 = (await Slipway(
            "--output", "json", "models", "register", name, IrisModel,
            "--columns", Columns, "--metric", "accuracy=0.97", "--metric", "f1=0.95",
            "--tag", "team=fraud", "--tag", "stage=dev", "--data", dataFile, "--data", dataFolder,
            "--run-id", "run-123", "--description", "first iris")).ShouldSucceed().Json();
        Assert.Equal(name, v1.GetProperty("name").GetString());
        Assert.Equal(1, v1.GetProperty("version").GetInt64());
        Assert.Equal("READY", v1.GetProperty("status").GetString());
        Assert.Equal("run-123", v1.GetProperty("run_id").GetString());
        Assert.Equal("first iris", v1.GetProperty("description").GetString());
        Assert.StartsWith("mlflow-artifacts:/_uploads/", v1.GetProperty("source").GetString(), StringComparison.Ordinal);
        var digest1 = v1.GetProperty("content_digest").GetString()!;
        Assert.Matches("^[0-9a-f]{64}$", digest1);
        var tags = v1.GetProperty("tags");
        Assert.Equal("fraud", Tag(tags, "team"));
        Assert.Equal("dev", Tag(tags, "stage"));
        Assert.Equal(0.97, double.Parse(Tag(tags, "slipway.metric.accuracy")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0.95, double.Parse(Tag(tags, "slipway.metric.f1")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("iris_logreg.onnx", Tag(tags, "slipway.lineage.source_file"));
        Assert.Equal(Path.GetFullPath(dataFile), Tag(tags, "slipway.lineage.data.0.path"));
        Assert.Equal(Hashes.OfFile(dataFile), Tag(tags, "slipway.lineage.data.0.sha256"));
        Assert.Equal(new FileInfo(dataFile).Length.ToString(System.Globalization.CultureInfo.InvariantCulture), Tag(tags, "slipway.lineage.data.0.bytes"));
        Assert.Equal(Hashes.OfFolder(dataFolder), Tag(tags, "slipway.lineage.data.1.sha256"));
        Assert.Equal("8", Tag(tags, "slipway.lineage.data.1.bytes"));
        var expectedCommit = GitHead(RepoPaths.Root);
        if (expectedCommit is not null)
        {
            Assert.Equal(expectedCommit, Tag(tags, "slipway.lineage.git_commit"));
            Assert.Contains(Tag(tags, "slipway.lineage.git_dirty"), new[] { "true", "false" });
        }

        // Version 2: same file, new metric; the registry numbers it.
        var v2 = (await Slipway("--output", "json", "models", "register", name, IrisModel, "--columns", Columns, "--metric", "accuracy=0.98"))
            .ShouldSucceed().Json();
        Assert.Equal(2, v2.GetProperty("version").GetInt64());
        Assert.Equal("0.98", Tag(v2.GetProperty("tags"), "slipway.metric.accuracy"));

        // list: table and JSON, with and without a filter.
        var listTable = (await Slipway("models", "list")).ShouldSucceed();
        Assert.Contains(name, listTable.StdOut, StringComparison.Ordinal);
        var listed = (await Slipway("--output", "json", "models", "list", "--filter", $"name = '{name}'")).ShouldSucceed().Json();
        var model = Assert.Single(listed.GetProperty("models").EnumerateArray());
        Assert.Equal(name, model.GetProperty("name").GetString());
        Assert.Equal(2, model.GetProperty("latest_version").GetInt64());
        var none = (await Slipway("--output", "json", "models", "list", "--filter", $"name = '{name}-absent'")).ShouldSucceed().Json();
        Assert.Empty(none.GetProperty("models").EnumerateArray());

        // show and versions.
        var shown = (await Slipway("--output", "json", "models", "show", name)).ShouldSucceed().Json();
        Assert.Equal(name, shown.GetProperty("name").GetString());
        Assert.Equal(2, shown.GetProperty("latest_version").GetInt64());
        Assert.Contains(name, (await Slipway("models", "show", name)).ShouldSucceed().StdOut, StringComparison.Ordinal);
        var versions = (await Slipway("--output", "json", "models", "versions", name)).ShouldSucceed().Json();
        Assert.Equal([2L, 1L], versions.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetInt64()).ToArray());
        var versionsTable = (await Slipway("models", "versions", name)).ShouldSucceed().StdOut;
        Assert.Contains("READY", versionsTable, StringComparison.Ordinal);
        Assert.Contains("accuracy=0.97", versionsTable, StringComparison.Ordinal);

        // Aliases: set, move, delete; the history keeps every move with its reason.
        var set = (await Slipway("--output", "json", "alias", "set", name, "champion", "1", "--reason", "first good")).ShouldSucceed().Json();
        Assert.Equal(1, set.GetProperty("version").GetInt64());
        Assert.Equal(1, (await Slipway("--output", "json", "models", "show", name)).ShouldSucceed().Json().GetProperty("aliases").GetProperty("champion").GetInt64());
        (await Slipway("alias", "set", name, "champion", "2", "--reason", "better")).ShouldSucceed();
        (await Slipway("alias", "set", name, "prod", "1")).ShouldSucceed();
        (await Slipway("alias", "delete", name, "champion", "--reason", "retired")).ShouldSucceed();
        var history = (await Slipway("--output", "json", "alias", "history", name, "--alias", "champion")).ShouldSucceed().Json()
            .GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(3, history.Count);
        Assert.Equal(JsonValueKind.Null, history[0].GetProperty("from_version").ValueKind);
        Assert.Equal(1, history[0].GetProperty("to_version").GetInt64());
        Assert.Equal("first good", history[0].GetProperty("reason").GetString());
        Assert.Equal(1, history[1].GetProperty("from_version").GetInt64());
        Assert.Equal(2, history[1].GetProperty("to_version").GetInt64());
        Assert.Equal(2, history[2].GetProperty("from_version").GetInt64());
        Assert.Equal(JsonValueKind.Null, history[2].GetProperty("to_version").ValueKind);
        Assert.Equal("retired", history[2].GetProperty("reason").GetString());
        var allHistory = (await Slipway("--output", "json", "alias", "history", name)).ShouldSucceed().Json().GetProperty("history");
        Assert.Equal(4, allHistory.GetArrayLength());
        Assert.Contains("retired", (await Slipway("alias", "history", name)).ShouldSucceed().StdOut, StringComparison.Ordinal);
        var afterDelete = (await Slipway("--output", "json", "models", "show", name)).ShouldSucceed().Json().GetProperty("aliases");
        Assert.False(afterDelete.TryGetProperty("champion", out _));
        Assert.Equal(1, afterDelete.GetProperty("prod").GetInt64());

        // Download by alias: every byte matches what the registry stored, and the model file is the original.
        var target = work.Combine("download-prod");
        var downloaded = (await Slipway("--output", "json", "models", "download", $"models:/{name}@prod", "--out", target)).ShouldSucceed().Json();
        Assert.Equal(1, downloaded.GetProperty("version").GetInt64());
        Assert.Equal(digest1, Hashes.ContentDigest(target));
        foreach (var file in downloaded.GetProperty("files").EnumerateArray())
        {
            var local = Path.Combine(target, file.GetProperty("path").GetString()!);
            Assert.Equal(file.GetProperty("sha256").GetString(), Hashes.OfFile(local));
            Assert.Equal(file.GetProperty("size").GetInt64(), new FileInfo(local).Length);
        }

        Assert.True(File.Exists(Path.Combine(target, "MLmodel")), "the package has an MLmodel file");
        var onnx = Assert.Single(Directory.GetFiles(target, "*.onnx", SearchOption.AllDirectories));
        Assert.Equal(await File.ReadAllBytesAsync(IrisModel), await File.ReadAllBytesAsync(onnx));

        // Download by name and version, and by models:/NAME/VERSION; a non-empty target is refused.
        var byNumber = work.Combine("download-2");
        (await Slipway("models", "download", name, "2", "--out", byNumber)).ShouldSucceed();
        Assert.Equal(v2.GetProperty("content_digest").GetString(), Hashes.ContentDigest(byNumber));
        (await Slipway("models", "download", $"models:/{name}/1", "--out", target))
            .ShouldFailWith(1, "not empty");
    }

    private static string? Tag(JsonElement tags, string key) =>
        tags.TryGetProperty(key, out var value) ? value.GetString() : null;

    private static string? GitHead(string directory)
    {
        try
        {
            var start = new ProcessStartInfo("git", "rev-parse HEAD")
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var git = Process.Start(start)!;
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}

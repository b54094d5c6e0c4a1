using Slipway.Cli.Tests.Infrastructure;
using Slipway.Testing;

namespace Slipway.Cli.Tests;

/// <summary>
/// The help people read is a snapshot: a change to a command's name, argument or option shows up as a diff here.
/// On a mismatch the actual text is written to the test output folder as <c>help-NAME.received.txt</c> (the failure
/// names the path); copy it over the snapshot when the change is intended.
/// </summary>
public sealed class HelpSnapshotTests
{
    [Theory]
    [InlineData("root", new string[0])]
    [InlineData("server", new[] { "server" })]
    [InlineData("serve", new[] { "serve" })]
    [InlineData("predict", new[] { "predict" })]
    [InlineData("models-register", new[] { "models", "register" })]
    [InlineData("models-download", new[] { "models", "download" })]
    [InlineData("alias", new[] { "alias" })]
    [InlineData("quickstart", new[] { "quickstart" })]
    [InlineData("experiments", new[] { "experiments" })]
    [InlineData("experiments-list", new[] { "experiments", "list" })]
    [InlineData("experiments-show", new[] { "experiments", "show" })]
    [InlineData("runs", new[] { "runs" })]
    [InlineData("runs-list", new[] { "runs", "list" })]
    [InlineData("runs-show", new[] { "runs", "show" })]
    [InlineData("runs-compare", new[] { "runs", "compare" })]
    [InlineData("drift", new[] { "drift" })]
    [InlineData("models-reference", new[] { "models", "reference" })]
    [InlineData("promote", new[] { "promote" })]
    [InlineData("rollback", new[] { "rollback" })]
    [InlineData("policy", new[] { "policy" })]
    [InlineData("deployment", new[] { "deployment" })]
    [InlineData("ci-init", new[] { "ci", "init" })]
    [InlineData("ci-event", new[] { "ci", "event" })]
    [InlineData("build", new[] { "build" })]
    public async Task Help_matches_the_snapshot(string snapshot, string[] command)
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        var result = (await SlipwayExecutable.RunAsync(work.Path, [.. command, "--help"])).ShouldSucceed();
        var actual = result.StdOut.ReplaceLineEndings("\n");
        var path = RepoPaths.Combine("tests", "Slipway.Cli.Tests", "Snapshots", $"help-{snapshot}.txt");
        var expected = File.Exists(path) ? (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n") : null;
        if (expected != actual)
        {
            var received = Path.Combine(AppContext.BaseDirectory, $"help-{snapshot}.received.txt");
            await File.WriteAllTextAsync(received, actual);
            Assert.Fail($"help of 'slipway {string.Join(' ', command)}' differs from {path}; actual text in {received}:\n{actual}");
        }
    }
}

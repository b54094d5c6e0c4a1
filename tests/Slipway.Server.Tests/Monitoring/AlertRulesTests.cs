using Slipway.Testing;

namespace Slipway.Server.Tests.Monitoring;

/// <summary>The shipped alert rules are valid and their promtool unit tests pass (every alert fires on an unhealthy series only).</summary>
public sealed class AlertRulesTests
{
    private static readonly string Rules = RepoPaths.Combine("deploy", "prometheus", "slipway-alerts.yml");

    [Fact]
    public async Task Promtool_accepts_the_alert_rules()
    {
        var (exitCode, output) = await Promtool.RunAsync(["check", "rules", Rules]);

        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS: 7 rules found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promtool_unit_tests_of_the_alert_rules_pass()
    {
        var (exitCode, output) = await Promtool.RunAsync(
            ["test", "rules", Path.Combine("tests", "slipway-alerts.test.yml")],
            workingDirectory: RepoPaths.Combine("deploy", "prometheus"));

        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promtool_unit_tests_catch_an_alert_that_no_longer_fires()
    {
        // The tests must be able to fail: with the error-rate threshold raised out of reach, they do.
        using var directory = new TempDirectory("slipway-alerts");
        var broken = (await File.ReadAllTextAsync(Rules)).Replace("> 0.05", "> 0.5", StringComparison.Ordinal);
        Directory.CreateDirectory(directory.Combine("tests"));
        await File.WriteAllTextAsync(directory.Combine("slipway-alerts.yml"), broken);
        File.Copy(RepoPaths.Combine("deploy", "prometheus", "tests", "slipway-alerts.test.yml"), directory.Combine("tests", "slipway-alerts.test.yml"));

        var (exitCode, output) = await Promtool.RunAsync(["test", "rules", Path.Combine("tests", "slipway-alerts.test.yml")], workingDirectory: directory.Path);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("SlipwayHighErrorRate", output, StringComparison.Ordinal);
    }
}

namespace Slipway.Monitoring.Tests;

public sealed class MonitoringPathsTests
{
    [Fact]
    public void Partition_is_hive_style_and_escapes_the_model_name()
    {
        var path = MonitoringPaths.Partition("iris/v2", new DateOnly(2026, 11, 26));

        Assert.Equal(Path.Combine("model=iris%2Fv2", "date=2026-11-26"), path);
    }
}

namespace Slipway.Serving.Tests.Hosting;

/// <summary>Bounded waits for background work (never a timing assertion: the bound only stops a hung test).</summary>
public static class Wait
{
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"gave up waiting until {what}");
            await Task.Delay(5);
        }
    }
}

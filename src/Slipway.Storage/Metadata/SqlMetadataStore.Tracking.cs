using System.Data.Common;
using System.Globalization;
using Slipway.Core.Registry;
using Slipway.Core.Tracking;

namespace Slipway.Storage.Metadata;

/// <summary>What experiments and runs share: lifecycle and status spellings, existence checks and IN lists.</summary>
public sealed partial class SqlMetadataStore : ITrackingStore
{
    private const string ActiveText = "active";
    private const string DeletedText = "deleted";

    private static string LifecycleText(LifecycleStage stage) => stage switch
    {
        LifecycleStage.Active => ActiveText,
        LifecycleStage.Deleted => DeletedText,
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "Unknown lifecycle stage."),
    };

    private static LifecycleStage ParseLifecycle(string text) => text switch
    {
        ActiveText => LifecycleStage.Active,
        DeletedText => LifecycleStage.Deleted,
        _ => throw new InvalidDataException($"Unknown lifecycle stage '{text}' in the metadata database."),
    };

    /// <summary>The SQL condition on a lifecycle_stage column for a view type, or null for all.</summary>
    private static string? LifecycleCondition(string column, ViewType viewType) => viewType switch
    {
        ViewType.ActiveOnly => $"{column} = '{ActiveText}'",
        ViewType.DeletedOnly => $"{column} = '{DeletedText}'",
        ViewType.All => null,
        _ => throw new ArgumentOutOfRangeException(nameof(viewType), viewType, "Unknown view type."),
    };

    private static string RunStatusText(RunStatus status) => status switch
    {
        RunStatus.Running => "RUNNING",
        RunStatus.Scheduled => "SCHEDULED",
        RunStatus.Finished => "FINISHED",
        RunStatus.Failed => "FAILED",
        RunStatus.Killed => "KILLED",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown run status."),
    };

    private static RunStatus ParseRunStatus(string text) => text switch
    {
        "RUNNING" => RunStatus.Running,
        "SCHEDULED" => RunStatus.Scheduled,
        "FINISHED" => RunStatus.Finished,
        "FAILED" => RunStatus.Failed,
        "KILLED" => RunStatus.Killed,
        _ => throw new InvalidDataException($"Unknown run status '{text}' in the metadata database."),
    };

    /// <summary>Experiment ids are decimal text on the wire and integers in the database; anything else names no experiment.</summary>
    private static bool TryParseExperimentId(string? text, out long id) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id);

    private static string ExperimentIdText(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static RegistryException ExperimentNotFound(string experimentId) =>
        RegistryException.NotFound($"No Experiment with id={experimentId} exists");

    private static RegistryException RunNotFound(string runId) => RegistryException.NotFound($"Run with id={runId} not found");

    /// <summary>
    /// Throws unless the run exists and is active. On PostgreSQL the run's row stays locked until the transaction
    /// ends, so writers to one run take turns (parameter immutability then holds under concurrency); SQLite's write
    /// transaction already holds the whole database.
    /// </summary>
    private async Task RequireActiveRunAsync(DbConnection c, DbTransaction t, string runId, CancellationToken ct)
    {
        var stage = await Sql.ScalarAsync<string?>(
            c, t, "SELECT lifecycle_stage FROM runs WHERE run_uuid = @r" + _dialect.LockRowsSuffix, ct, ("r", runId)).ConfigureAwait(false);
        switch (stage)
        {
            case null:
                throw RunNotFound(runId);
            case ActiveText:
                return;
            default:
                throw RegistryException.Invalid($"The run {runId} must be in the 'active' state. Current state is {stage}.");
        }
    }

    /// <summary>
    /// A command of <paramref name="sql"/>, then the condition that <paramref name="column"/> is one of
    /// <paramref name="values"/> (bound as one list parameter, however many values), then <paramref name="suffix"/>;
    /// <paramref name="parameters"/> are bound too.
    /// </summary>
    private DbCommand InCommand<T>(DbConnection c, DbTransaction t, string sql, string column, IReadOnlyList<T> values, string suffix = "", params (string Name, object? Value)[] parameters)
    {
        var command = Sql.Command(c, t, sql + " " + _dialect.AnyOf(column, "@ids") + suffix, parameters);
        Sql.Add(command, "ids", _dialect.ListValue(values));
        return command;
    }
}

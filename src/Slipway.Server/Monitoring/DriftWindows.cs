using System.Diagnostics.CodeAnalysis;
using Slipway.Core.Statistics.Drift;
using Slipway.Monitoring.Inference;

namespace Slipway.Server.Monitoring;

/// <summary>
/// Drift over the live profiles' time windows (<c>1h</c>, <c>1d</c>, <c>7d</c>) of a model version against its
/// reference profile, for the drift API and the drift gauges.
/// </summary>
internal sealed class DriftWindows(ServingMonitoring monitoring)
{
    /// <summary>The last hour.</summary>
    public const string Hour = "1h";

    /// <summary>The last day.</summary>
    public const string Day = "1d";

    /// <summary>The last seven days.</summary>
    public const string Week = "7d";

    /// <summary>The window names, shortest first.</summary>
    public static readonly string[] Names = [Hour, Day, Week];

    /// <summary>Parses a window name into its length.</summary>
    public static bool TryParse(string? name, [NotNullWhen(true)] out string? window)
    {
        window = name switch
        {
            Hour => Hour,
            Day => Day,
            Week => Week,
            _ => null,
        };
        return window is not null;
    }

    /// <summary>The length of a window name.</summary>
    public static TimeSpan Length(string window) => window switch
    {
        Hour => TimeSpan.FromHours(1),
        Day => TimeSpan.FromDays(1),
        _ => TimeSpan.FromDays(7),
    };

    /// <summary>The drift report of <paramref name="model"/> <paramref name="version"/> over <paramref name="window"/>, or why there is none.</summary>
    public async Task<DriftAnswer> ComputeAsync(string model, string version, string window, CancellationToken cancellationToken)
    {
        if (monitoring.Monitor is not { } monitor)
        {
            return Refused(StatusCodes.Status404NotFound, "RESOURCE_DOES_NOT_EXIST", "monitoring is off on this server: no live profiles to measure drift on.");
        }

        if (!Seen(monitor.GetModels(), model, version))
        {
            return Refused(StatusCodes.Status409Conflict, "INVALID_STATE", $"model '{model}' version {version} has no logged requests yet: drift needs traffic.");
        }

        if (!monitor.HasReference(model, version))
        {
            return Refused(
                StatusCodes.Status409Conflict,
                "INVALID_STATE",
                $"model '{model}' version {version} has no reference profile: add reference data to the version (slipway models reference {model} {version} FILE).");
        }

        var report = await monitor.GetDriftAsync(model, Length(window), DriftOptions.Default, cancellationToken).ConfigureAwait(false);
        return report is null
            ? Refused(StatusCodes.Status409Conflict, "INVALID_STATE", $"model '{model}' version {version} has no profiled rows in the last {window}.")
            : new DriftAnswer(report, null);
    }

    private static bool Seen(IReadOnlyList<ModelMonitorStatus> models, string model, string version)
    {
        foreach (var seen in models)
        {
            if (seen.Model == model && seen.Version == version)
            {
                return true;
            }
        }

        return false;
    }

    private static DriftAnswer Refused(int status, string code, string message) => new(null, new DriftError(status, code, message));
}

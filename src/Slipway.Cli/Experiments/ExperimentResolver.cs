using Slipway.Cli.CommandLine;
using Slipway.Core.Registry;
using Slipway.Core.Tracking;

namespace Slipway.Cli.Experiments;

/// <summary>Finds an experiment from what people type: its id (digits) or its name.</summary>
public static class ExperimentResolver
{
    /// <summary>
    /// The experiment whose id or name is <paramref name="idOrName"/>. Digits are tried as an id first, then as a name
    /// (names may be numeric too). Throws <see cref="CliException"/> naming the value when neither matches.
    /// </summary>
    public static async Task<Experiment> ResolveAsync(IExperimentTracker tracker, string idOrName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        if (string.IsNullOrWhiteSpace(idOrName))
        {
            throw new CliException("experiment id or name is empty.");
        }

        if (idOrName.All(char.IsAsciiDigit))
        {
            try
            {
                return await tracker.GetExperimentAsync(idOrName, cancellationToken).ConfigureAwait(false);
            }
            catch (RegistryException e) when (e.Code == RegistryErrorCode.ResourceDoesNotExist)
            {
                // Not an id: it may still be a numeric name.
            }
        }

        try
        {
            return await tracker.GetExperimentByNameAsync(idOrName, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryException e) when (e.Code == RegistryErrorCode.ResourceDoesNotExist)
        {
            throw new CliException($"experiment '{idOrName}' does not exist (no experiment has this id or name).", e);
        }
    }

    /// <summary>The ids of every active experiment.</summary>
    public static async Task<IReadOnlyList<string>> ActiveIdsAsync(IExperimentTracker tracker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        var ids = new List<string>();
        string? token = null;
        do
        {
            var page = await tracker.SearchExperimentsAsync(null, null, ViewType.ActiveOnly, 1_000, token, cancellationToken).ConfigureAwait(false);
            ids.AddRange(page.Items.Select(e => e.ExperimentId));
            token = page.NextPageToken;
        }
        while (!string.IsNullOrEmpty(token));
        return ids;
    }
}

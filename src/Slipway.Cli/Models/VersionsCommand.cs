using System.CommandLine;
using System.Globalization;
using Slipway.Cli.CommandLine;
using Slipway.Cli.Output;

namespace Slipway.Cli.Models;

/// <summary><c>slipway models versions NAME</c>: every version of a model, newest first.</summary>
public static class VersionsCommand
{
    private const int PageSize = 100;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "Registered model name" };
        var command = new Command("versions", "List the versions of a model") { name };
        CommandRunner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            var model = parse.GetValue(name)!;
            await using var connection = await context.OpenRegistryAsync(cancellationToken).ConfigureAwait(false);

            // Fails with the registry's own not-found message for an unknown model, rather than an empty list.
            await connection.Registry.GetRegisteredModelAsync(model, cancellationToken).ConfigureAwait(false);
            var versions = new List<VersionView>();
            string? token = null;
            // A quote inside a quoted filter value is written twice.
            var filter = string.Create(CultureInfo.InvariantCulture, $"name = '{model.Replace("'", "''", StringComparison.Ordinal)}'");
            do
            {
                var page = await connection.Registry.SearchModelVersionsAsync(
                    filter, ["version_number DESC"], PageSize, token, cancellationToken).ConfigureAwait(false);
                versions.AddRange(page.Items.Select(ViewMapper.ToView));
                token = page.NextPageToken;
            }
            while (!string.IsNullOrEmpty(token));

            context.WriteResult(new VersionListView(model, versions), CliJsonContext.Default.VersionListView, Tables.RenderVersions);
            return ExitCodes.Success;
        });
        return command;
    }
}

using System.CommandLine;
using Slipway.Cli.CommandLine;
using Slipway.Cli.Output;
using Slipway.Core.Registry;

namespace Slipway.Cli.Models;

/// <summary><c>slipway models list [--filter F]</c>: every registered model, ordered by name.</summary>
public static class ListCommand
{
    private const int PageSize = 100;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var filter = new Option<string?>("--filter") { HelpName = "filter", Description = "MLflow search filter, e.g. \"name LIKE 'iris%'\"" };
        var command = new Command("list", "List registered models") { filter };
        CommandRunner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            await using var connection = await context.OpenRegistryAsync(cancellationToken).ConfigureAwait(false);
            var models = new List<ModelView>();
            string? token = null;
            do
            {
                var page = await connection.Registry.SearchRegisteredModelsAsync(
                    parse.GetValue(filter), ["name ASC"], PageSize, token, cancellationToken).ConfigureAwait(false);
                models.AddRange(page.Items.Select(ViewMapper.ToView));
                token = page.NextPageToken;
            }
            while (!string.IsNullOrEmpty(token));

            context.WriteResult(new ModelListView(models), CliJsonContext.Default.ModelListView, Tables.RenderModels);
            return ExitCodes.Success;
        });
        return command;
    }
}

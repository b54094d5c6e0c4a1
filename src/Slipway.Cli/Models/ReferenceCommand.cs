using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Slipway.Cli.CommandLine;
using Slipway.Cli.Output;
using Slipway.Monitoring.Reference;
using Spectre.Console;

namespace Slipway.Cli.Models;

/// <summary>
/// <c>slipway models reference NAME VERSION FILE</c>: attaches reference data (CSV or Parquet) to an existing version,
/// typed by its signature. A reference attached before is replaced; its files are kept and its path is recorded in
/// the <c>slipway.reference.replaced</c> tag.
/// </summary>
public static class ReferenceCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "Registered model name" };
        var version = new Argument<string>("VERSION") { Description = "Version number" };
        var file = new Argument<string>("FILE") { Description = "Reference data: a .csv file with a header row or a .parquet file" };
        var command = new Command("reference", "Attach reference data for drift to an existing version (replaces an earlier one)") { name, version, file };
        CommandRunner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            var uri = DownloadCommand.ParseTarget(parse.GetValue(name)!, parse.GetValue(version));
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new CliException($"reference data file '{path}' does not exist.");
            }

            await using var connection = await context.OpenRegistryAsync(cancellationToken).ConfigureAwait(false);
            StoredReference stored;
            try
            {
                stored = await new ReferenceStore(context.Time)
                    .AttachAsync(connection.Registry, uri.Name, uri.Version!.Value, path, cancellationToken).ConfigureAwait(false);
            }
            catch (ReferenceDataException e)
            {
                throw new CliException(e.Message);
            }

            if (context.Format == OutputFormat.Json)
            {
                WriteJson(stored);
            }
            else
            {
                Render(context.Out, stored);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void WriteJson(StoredReference stored)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("name", stored.Model);
            writer.WriteNumber("version", stored.Version);
            writer.WriteString("data", stored.DataPath);
            writer.WriteNumber("rows", stored.Rows);
            writer.WriteStartArray("columns");
            foreach (var column in stored.Columns)
            {
                writer.WriteStringValue(column);
            }

            writer.WriteEndArray();
            writer.WriteString("source", stored.Source);
            if (stored.ReplacedDataPath is null)
            {
                writer.WriteNull("replaced");
            }
            else
            {
                writer.WriteString("replaced", stored.ReplacedDataPath);
            }

            writer.WriteEndObject();
        }

        Console.Out.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void Render(IAnsiConsole console, StoredReference stored)
    {
        var table = new Table().AddColumns("Field", "Value");
        table.AddRow("Name", Markup.Escape(stored.Model));
        table.AddRow("Version", stored.Version.ToString(CultureInfo.InvariantCulture));
        table.AddRow("Reference data", Markup.Escape(stored.DataPath));
        table.AddRow("Rows", stored.Rows.ToString(CultureInfo.InvariantCulture));
        table.AddRow("Columns", Markup.Escape(string.Join(", ", stored.Columns)));
        table.AddRow("Source", Markup.Escape(stored.Source));
        if (stored.ReplacedDataPath is not null)
        {
            table.AddRow("Replaced", Markup.Escape(stored.ReplacedDataPath));
        }

        console.Write(table);
    }
}

using System.Globalization;
using Spectre.Console;

namespace Slipway.Cli.Output;

/// <summary>Readable renderings of the CLI's results (the default <c>--output table</c>).</summary>
public static class Tables
{
    /// <summary>Renders <c>models list</c>.</summary>
    public static void RenderModels(IAnsiConsole console, ModelListView view)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(view);
        if (view.Models.Count == 0)
        {
            console.WriteLine("No registered models.");
            return;
        }

        var table = new Table().AddColumns("Name", "Latest", "Aliases", "Updated", "Description");
        foreach (var model in view.Models)
        {
            table.AddRow(
                Escape(model.Name),
                model.LatestVersion?.ToString(CultureInfo.InvariantCulture) ?? "-",
                Escape(FormatAliases(model.Aliases)),
                ViewMapper.FormatTimestamp(model.LastUpdatedTimestamp),
                Escape(model.Description));
        }

        console.Write(table);
    }

    /// <summary>Renders <c>models show</c>.</summary>
    public static void RenderModel(IAnsiConsole console, ModelView model)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(model);
        var table = new Table().AddColumns("Field", "Value");
        table.AddRow("Name", Escape(model.Name));
        table.AddRow("Description", Escape(model.Description));
        table.AddRow("Latest version", model.LatestVersion?.ToString(CultureInfo.InvariantCulture) ?? "-");
        table.AddRow("Aliases", Escape(FormatAliases(model.Aliases)));
        table.AddRow("Created", ViewMapper.FormatTimestamp(model.CreationTimestamp));
        table.AddRow("Updated", ViewMapper.FormatTimestamp(model.LastUpdatedTimestamp));
        foreach (var (key, value) in model.Tags)
        {
            table.AddRow(Escape("tag " + key), Escape(value));
        }

        console.Write(table);
    }

    /// <summary>Renders <c>models versions</c>.</summary>
    public static void RenderVersions(IAnsiConsole console, VersionListView view)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(view);
        var table = new Table().AddColumns("Version", "Status", "Aliases", "Created", "Metrics", "Source file");
        foreach (var version in view.Versions)
        {
            var metrics = version.Tags
                .Where(t => t.Key.StartsWith("slipway.metric.", StringComparison.Ordinal))
                .Select(t => $"{t.Key["slipway.metric.".Length..]}={t.Value}");
            version.Tags.TryGetValue("slipway.lineage.source_file", out var sourceFile);
            table.AddRow(
                version.Version.ToString(CultureInfo.InvariantCulture),
                version.Status,
                Escape(string.Join(", ", version.Aliases)),
                ViewMapper.FormatTimestamp(version.CreationTimestamp),
                Escape(string.Join(", ", metrics)),
                Escape(sourceFile ?? string.Empty));
        }

        console.Write(table);
    }

    /// <summary>Renders one version (<c>models register</c>).</summary>
    public static void RenderVersion(IAnsiConsole console, VersionView version)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(version);
        var table = new Table().AddColumns("Field", "Value");
        table.AddRow("Name", Escape(version.Name));
        table.AddRow("Version", version.Version.ToString(CultureInfo.InvariantCulture));
        table.AddRow("Status", version.Status);
        table.AddRow("Source", Escape(version.Source));
        table.AddRow("Content digest", version.ContentDigest);
        if (version.RunId.Length > 0)
        {
            table.AddRow("Run", Escape(version.RunId));
        }

        if (version.Description.Length > 0)
        {
            table.AddRow("Description", Escape(version.Description));
        }

        foreach (var (key, value) in version.Tags)
        {
            table.AddRow(Escape("tag " + key), Escape(value));
        }

        console.Write(table);
    }

    /// <summary>Renders <c>alias set</c> and <c>alias delete</c>.</summary>
    public static void RenderAlias(IAnsiConsole console, AliasView view)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(view);
        console.WriteLine(view.Version is { } version
            ? string.Create(CultureInfo.InvariantCulture, $"{view.Name}@{view.Alias} -> version {version}")
            : $"{view.Name}@{view.Alias} deleted");
    }

    /// <summary>Renders <c>alias history</c>.</summary>
    public static void RenderAliasHistory(IAnsiConsole console, AliasHistoryView view)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(view);
        var table = new Table().AddColumns("When", "Alias", "From", "To", "User", "Reason");
        foreach (var entry in view.History)
        {
            table.AddRow(
                ViewMapper.FormatTimestamp(entry.Timestamp),
                Escape(entry.Alias),
                entry.FromVersion?.ToString(CultureInfo.InvariantCulture) ?? "-",
                entry.ToVersion?.ToString(CultureInfo.InvariantCulture) ?? "-",
                Escape(entry.User),
                Escape(entry.Reason));
        }

        console.Write(table);
    }

    /// <summary>Renders <c>models download</c>.</summary>
    public static void RenderDownload(IAnsiConsole console, DownloadView view)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(view);
        var table = new Table().AddColumns("File", "Bytes", "SHA-256");
        foreach (var file in view.Files)
        {
            table.AddRow(Escape(file.Path), file.Size.ToString(CultureInfo.InvariantCulture), file.Sha256);
        }

        console.Write(table);
        console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{view.Name} version {view.Version}: {view.Files.Count} files, {view.Bytes} bytes -> {view.Directory}"));
    }

    private static string FormatAliases(IReadOnlyDictionary<string, long> aliases) =>
        string.Join(", ", aliases.Select(a => string.Create(CultureInfo.InvariantCulture, $"{a.Key}={a.Value}")));

    private static string Escape(string text) => Markup.Escape(text);
}

using System.Globalization;

namespace WorkHoursRegression;

/// <summary>The example's command line: a tracking server URL, the data file, epochs and the model name.</summary>
/// <param name="TrackingUri">The Slipway server, e.g. <c>http://127.0.0.1:8080</c>.</param>
/// <param name="DataPath">The Adult data file (CSV with a header).</param>
/// <param name="Epochs">Passes over the training split; default 10.</param>
/// <param name="ModelName">The registered model's name; default <c>work-hours</c>.</param>
internal sealed record ExampleOptions(Uri TrackingUri, string DataPath, int Epochs, string ModelName)
{
    public const string Usage =
        "usage: WorkHoursRegression [TRACKING_URI] [--data FILE] [--epochs N] [--model NAME]   (TRACKING_URI defaults to $MLFLOW_TRACKING_URI)";

    /// <summary>Parses the arguments; null when they are wrong or no server is given.</summary>
    public static ExampleOptions? Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        string? uri = null;
        string? data = null;
        var epochs = 10;
        var model = "work-hours";
        for (var i = 0; i < args.Count; i++)
        {
            var hasValue = i + 1 < args.Count;
            switch (args[i])
            {
                case "--data" when hasValue:
                    data = args[++i];
                    break;
                case "--epochs" when hasValue && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0:
                    epochs = n;
                    i++;
                    break;
                case "--model" when hasValue:
                    model = args[++i];
                    break;
                case var value when !value.StartsWith("--", StringComparison.Ordinal) && uri is null:
                    uri = value;
                    break;
                default:
                    return null;
            }
        }

        uri ??= environment("MLFLOW_TRACKING_URI");
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var server) || server.Scheme is not ("http" or "https"))
        {
            return null;
        }

        data ??= FindAdultData();
        return data is null || !File.Exists(data) ? null : new ExampleOptions(server, data, epochs, model);
    }

    // The repository's copy of the data, found from the working directory upwards.
    private static string? FindAdultData()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "data", "adult", "adult.data");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

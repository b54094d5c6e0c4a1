using System.CommandLine;
using System.Globalization;
using Slipway.Cli.CommandLine;
using Slipway.Core.Registry;
using Slipway.Serving.Hosting;
using Slipway.Server.Monitoring;

namespace Slipway.Cli.Serving;

/// <summary>
/// The serving options shared by <c>slipway serve</c> and <c>slipway server --serve</c>: batching, queue bound and
/// alias polling, applied to every served model.
/// </summary>
public sealed class ServingCliOptions
{
    /// <summary>Default <c>--poll-interval</c> in seconds.</summary>
    public const double DefaultPollSeconds = 1;

    private readonly Option<string> batching = new("--batching")
    {
        HelpName = "on|off",
        Description = "Merge requests that queue while the model is busy into one run (batchable models only)",
        DefaultValueFactory = _ => "on",
    };

    private readonly Option<int> maxBatchRows = new("--max-batch-rows")
    {
        HelpName = "n",
        Description = "Most rows in one merged run",
        DefaultValueFactory = _ => ServedModelOptions.DefaultMaxBatchRows,
    };

    private readonly Option<double> maxBatchDelay = new("--max-batch-delay-ms")
    {
        HelpName = "ms",
        Description = "How long a run may wait for more rows while other runs are busy (0: never wait, keeps all cores scoring)",
        DefaultValueFactory = _ => 0,
    };

    private readonly Option<int> queue = new("--queue")
    {
        HelpName = "n",
        Description = "Requests that may wait per model; beyond it 429 with Retry-After",
        DefaultValueFactory = _ => ServedModelOptions.DefaultQueueLimit,
    };

    private readonly Option<double> pollInterval = new("--poll-interval")
    {
        HelpName = "seconds",
        Description = "How often alias URIs are checked for a move (0: never)",
        DefaultValueFactory = _ => DefaultPollSeconds,
    };

    private readonly Option<string?> monitoringDirectory = new("--monitoring-dir")
    {
        HelpName = "dir",
        Description = "Where the inference log, profile snapshots and feedback go (default: monitoring/ in the embedded registry directory, else ./slipway-monitoring)",
    };

    private readonly Option<string?> sampleRate = new("--log-sample-rate")
    {
        HelpName = "0..1",
        Description = "Fraction of requests written to the inference log (default 1: every request)",
    };

    private readonly Option<bool> noMonitoring = new("--no-monitoring")
    {
        Description = "Log no requests and compute no drift (metrics of requests and latency stay on)",
    };

    /// <summary>The default monitoring directory when the registry is not a local directory.</summary>
    public const string DefaultMonitoringDirectory = "slipway-monitoring";

    /// <summary>Creates the options.</summary>
    public ServingCliOptions()
    {
        batching.AcceptOnlyFromAmong("on", "off");
    }

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(batching);
        command.Options.Add(maxBatchRows);
        command.Options.Add(maxBatchDelay);
        command.Options.Add(queue);
        command.Options.Add(pollInterval);
        command.Options.Add(monitoringDirectory);
        command.Options.Add(sampleRate);
        command.Options.Add(noMonitoring);
    }

    /// <summary>
    /// The monitoring settings: off with <c>--no-monitoring</c>; else in <c>--monitoring-dir</c>, by default
    /// <c>monitoring/</c> under <paramref name="registryDirectory"/> (the embedded registry's directory, when the registry
    /// is one) or <c>./slipway-monitoring</c>. Throws <see cref="CliException"/> naming a bad value.
    /// </summary>
    public ServingMonitoringOptions BuildMonitoring(ParseResult parse, string? registryDirectory)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var rate = 1.0;
        if (parse.GetValue(sampleRate) is { } text
            && (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out rate) || !(rate >= 0 && rate <= 1)))
        {
            throw new CliException($"--log-sample-rate must be a number from 0 to 1, not '{text}'.");
        }

        if (parse.GetValue(noMonitoring))
        {
            return new ServingMonitoringOptions { Enabled = false };
        }

        var directory = parse.GetValue(monitoringDirectory);
        if (directory is not null && string.IsNullOrWhiteSpace(directory))
        {
            throw new CliException("--monitoring-dir must name a directory.");
        }

        directory ??= registryDirectory is null ? DefaultMonitoringDirectory : Path.Combine(registryDirectory, "monitoring");
        return new ServingMonitoringOptions { Directory = directory, SampleRate = rate };
    }

    /// <summary>The host options for <paramref name="uris"/> with the parsed settings; throws <see cref="CliException"/> naming a bad value.</summary>
    public ModelHostOptions Build(ParseResult parse, IEnumerable<string> uris)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(uris);
        var rows = parse.GetValue(maxBatchRows);
        var delay = parse.GetValue(maxBatchDelay);
        var limit = parse.GetValue(queue);
        var poll = parse.GetValue(pollInterval);
        if (rows < 1)
        {
            throw new CliException("--max-batch-rows must be at least 1.");
        }

        if (delay < 0 || double.IsNaN(delay))
        {
            throw new CliException("--max-batch-delay-ms must not be negative.");
        }

        if (limit < 0)
        {
            throw new CliException("--queue must not be negative.");
        }

        if (poll < 0 || double.IsNaN(poll))
        {
            throw new CliException("--poll-interval must not be negative.");
        }

        var options = new ModelHostOptions { PollInterval = TimeSpan.FromSeconds(poll) };
        foreach (var text in uris)
        {
            if (!ModelUri.TryParse(text, out var uri))
            {
                throw new CliException($"'{text}' is not a model URI: use models:/NAME/VERSION or models:/NAME@ALIAS.");
            }

            options.Models.Add(new ServedModelOptions(uri)
            {
                Batching = parse.GetValue(batching) == "on",
                MaxBatchRows = rows,
                MaxBatchDelay = TimeSpan.FromMilliseconds(delay),
                QueueLimit = limit,
            });
        }

        var names = options.Models.GroupBy(m => m.Uri.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (names is not null)
        {
            throw new CliException(string.Create(CultureInfo.InvariantCulture, $"model '{names.Key}' is given {names.Count()} times; serve each registered model once."));
        }

        return options;
    }
}

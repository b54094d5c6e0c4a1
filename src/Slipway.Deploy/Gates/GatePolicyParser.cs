using System.Globalization;
using Slipway.Core.Deployment;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Slipway.Deploy.Gates;

/// <summary>
/// Reads a gate policy document strictly: every field is known, typed and in range, and every error names the field's
/// path (<c>gates.latency.p99_ms</c>, <c>gates.metrics[1]</c>). A field given as null (<c>canary:</c> with nothing
/// after it) keeps its default.
/// </summary>
internal static class GatePolicyParser
{
    private static readonly string[] RootFields = ["protected", "recent_inputs", "gates", "canary", "shadow"];
    private static readonly string[] GateFields = ["signature", "replay", "metrics", "latency", "drift"];
    private static readonly string[] SignatureFields = ["enabled"];
    private static readonly string[] ReplayFields = ["enabled", "input_example", "logged_requests"];
    private static readonly string[] LatencyFields = ["p99_ms", "runs"];
    private static readonly string[] DriftFields = ["enabled", "window", "max_drifted_share"];
    private static readonly string[] CanaryFields =
        ["weight", "sticky_header", "window", "min_requests", "max_error_rate_increase", "max_latency_ratio", "auto_promote", "auto_rollback"];

    private static readonly string[] ShadowFields = ["percent"];

    /// <summary>The largest count a policy may ask for (replayed rows, timed runs): beyond it a promotion would take too long.</summary>
    private const int MaxCount = 100_000;

    public static GatePolicy Parse(string yaml)
    {
        var root = Load(yaml);
        if (root is null)
        {
            return new GatePolicy();
        }

        return Build(Mapping(root, string.Empty, RootFields, "the policy"));
    }

    private static GatePolicy Build(Dictionary<string, YamlNode> fields)
    {
        var isProtected = Get(fields, "protected") is { } p ? Bool(p, "protected") : true;
        var recent = Get(fields, "recent_inputs") is { } r ? Duration(r, "recent_inputs") : TimeSpan.FromHours(24);

        var signature = true;
        var replay = new ReplayGateOptions();
        IReadOnlyList<MetricGate> metrics = [];
        LatencyGateOptions? latency = null;
        DriftGateOptions? drift = null;
        if (Get(fields, "gates") is { } gatesNode)
        {
            var gates = Mapping(gatesNode, "gates", GateFields);
            if (Get(gates, "signature") is { } s)
            {
                var map = Mapping(s, "gates.signature", SignatureFields);
                signature = Get(map, "enabled") is not { } e || Bool(e, "gates.signature.enabled");
            }

            if (Get(gates, "replay") is { } rp)
            {
                var map = Mapping(rp, "gates.replay", ReplayFields);
                replay = new ReplayGateOptions(
                    Get(map, "enabled") is not { } e || Bool(e, "gates.replay.enabled"),
                    Get(map, "input_example") is not { } ie || Bool(ie, "gates.replay.input_example"),
                    Get(map, "logged_requests") is { } lr ? Count(lr, "gates.replay.logged_requests", allowZero: true) : 200);
            }

            if (Get(gates, "metrics") is { } m)
            {
                metrics = Metrics(m);
            }

            if (Get(gates, "latency") is { } l)
            {
                var map = Mapping(l, "gates.latency", LatencyFields);
                if (Get(map, "p99_ms") is not { } budget)
                {
                    throw new GatePolicyException("gates.latency.p99_ms is required when gates.latency is given (the p99 budget in milliseconds)");
                }

                latency = new LatencyGateOptions(
                    PositiveNumber(budget, "gates.latency.p99_ms"),
                    Get(map, "runs") is { } runs ? Count(runs, "gates.latency.runs", allowZero: false) : 200);
            }

            if (Get(gates, "drift") is { } d)
            {
                var map = Mapping(d, "gates.drift", DriftFields);
                var window = Get(map, "window") is { } w ? Duration(w, "gates.drift.window") : DriftGateOptions.Default.Window;
                var share = DriftGateOptions.Default.MaxDriftedShare;
                if (Get(map, "max_drifted_share") is { } sh)
                {
                    share = Number(sh, "gates.drift.max_drifted_share", "a number in (0, 1]");
                    if (share is <= 0 or > 1)
                    {
                        throw new GatePolicyException($"gates.drift.max_drifted_share must be a number in (0, 1], got {Format(share)}");
                    }
                }

                var enabled = Get(map, "enabled") is { } e && Bool(e, "gates.drift.enabled");
                drift = enabled ? new DriftGateOptions(window, share) : null;
            }
        }

        var canary = new CanaryPolicy();
        var weight = 0.1;
        var sticky = string.Empty;
        if (Get(fields, "canary") is { } c)
        {
            var map = Mapping(c, "canary", CanaryFields);
            if (Get(map, "weight") is { } w)
            {
                weight = Percent(w, "canary.weight") / 100;
            }

            if (Get(map, "sticky_header") is { } h)
            {
                sticky = HeaderName(h, "canary.sticky_header");
            }

            canary = new CanaryPolicy(
                Get(map, "window") is { } win ? Duration(win, "canary.window").TotalSeconds : canary.WindowSeconds,
                Get(map, "min_requests") is { } mr ? Count(mr, "canary.min_requests", allowZero: true, max: long.MaxValue) : canary.MinRequests,
                Get(map, "max_error_rate_increase") is { } er ? ErrorRateIncrease(er) : canary.MaxErrorRateIncrease,
                Get(map, "max_latency_ratio") is { } lr ? PositiveNumber(lr, "canary.max_latency_ratio") : canary.MaxLatencyRatio,
                Get(map, "auto_promote") is { } ap ? Bool(ap, "canary.auto_promote") : canary.AutoPromote,
                Get(map, "auto_rollback") is { } ar ? Bool(ar, "canary.auto_rollback") : canary.AutoRollback);
        }

        var shadow = 1.0;
        if (Get(fields, "shadow") is { } sh2)
        {
            var map = Mapping(sh2, "shadow", ShadowFields);
            if (Get(map, "percent") is { } pc)
            {
                shadow = Percent(pc, "shadow.percent") / 100;
            }
        }

        return new GatePolicy
        {
            Protected = isProtected,
            RecentInputs = recent,
            SignatureGate = signature,
            Replay = replay,
            Metrics = metrics,
            Latency = latency,
            Drift = drift,
            Canary = canary,
            CanaryWeight = weight,
            StickyKey = sticky,
            ShadowShare = shadow,
        };
    }

    private static YamlNode? Load(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            // Duplicate keys and syntax errors alike: the parser's own words, with the line.
            var inner = e.InnerException?.Message ?? e.Message;
            throw new GatePolicyException($"the policy is not valid YAML (line {e.Start.Line}, column {e.Start.Column}): {inner}", e);
        }

        if (stream.Documents.Count == 0)
        {
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            throw new GatePolicyException("the policy must be one YAML document, not several");
        }

        var root = stream.Documents[0].RootNode;
        return IsNull(root) ? null : root;
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static YamlNode? Get(Dictionary<string, YamlNode> fields, string name) =>
        fields.TryGetValue(name, out var node) && !IsNull(node) ? node : null;

    private static Dictionary<string, YamlNode> Mapping(YamlNode node, string path, string[] known, string? what = null)
    {
        var name = what ?? path;
        if (node is not YamlMappingNode mapping)
        {
            throw new GatePolicyException($"{name} must be a mapping of {string.Join(", ", known)}");
        }

        var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = keyNode is YamlScalarNode scalar ? scalar.Value ?? string.Empty : keyNode.ToString();
            var field = path.Length == 0 ? key : path + "." + key;
            if (Array.IndexOf(known, key) < 0)
            {
                throw new GatePolicyException($"{field} is not a known field; {name} takes {string.Join(", ", known)}");
            }

            if (!fields.TryAdd(key, value))
            {
                throw new GatePolicyException($"{field} is given twice");
            }
        }

        return fields;
    }

    private static string Scalar(YamlNode node, string path, string expected)
    {
        if (node is not YamlScalarNode { Value: { } value })
        {
            throw new GatePolicyException($"{path} must be {expected}");
        }

        return value;
    }

    private static bool Bool(YamlNode node, string path)
    {
        var value = Scalar(node, path, "true or false");
        if (node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any })
        {
            switch (value)
            {
                case "true" or "True" or "TRUE":
                    return true;
                case "false" or "False" or "FALSE":
                    return false;
            }
        }

        throw new GatePolicyException($"{path} must be true or false, got '{value}'");
    }

    private static double Number(YamlNode node, string path, string expected)
    {
        var value = Scalar(node, path, expected);
        if (node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any }
            && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && double.IsFinite(number))
        {
            return number;
        }

        throw new GatePolicyException($"{path} must be {expected}, got '{value}'");
    }

    private static double PositiveNumber(YamlNode node, string path)
    {
        var number = Number(node, path, "a positive number");
        return number > 0 ? number : throw new GatePolicyException($"{path} must be a positive number, got {Format(number)}");
    }

    private static double Percent(YamlNode node, string path)
    {
        var number = Number(node, path, "a percentage in (0, 100]");
        return number is > 0 and <= 100 ? number : throw new GatePolicyException($"{path} must be a percentage in (0, 100], got {Format(number)}");
    }

    private static double ErrorRateIncrease(YamlNode node)
    {
        const string path = "canary.max_error_rate_increase";
        var number = Number(node, path, "percentage points in [0, 100]");
        return number is >= 0 and <= 100 ? number / 100 : throw new GatePolicyException($"{path} must be percentage points in [0, 100], got {Format(number)}");
    }

    private static int Count(YamlNode node, string path, bool allowZero) => (int)Count(node, path, allowZero, MaxCount);

    private static long Count(YamlNode node, string path, bool allowZero, long max)
    {
        var expected = allowZero ? $"a whole number from 0 to {max.ToString(CultureInfo.InvariantCulture)}" : $"a whole number from 1 to {max.ToString(CultureInfo.InvariantCulture)}";
        if (max == long.MaxValue)
        {
            expected = allowZero ? "a whole number, 0 or more" : "a whole number, 1 or more";
        }

        var value = Scalar(node, path, expected);
        if (node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any }
            && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var count)
            && count >= (allowZero ? 0 : 1)
            && count <= max)
        {
            return count;
        }

        throw new GatePolicyException($"{path} must be {expected}, got '{value}'");
    }

    /// <summary>A duration: a positive number and one of s, m, h, d (<c>30s</c>, <c>10m</c>, <c>24h</c>, <c>7d</c>, <c>1.5h</c>).</summary>
    private static TimeSpan Duration(YamlNode node, string path)
    {
        const string expected = "a duration such as 30s, 10m, 24h or 7d";
        var value = Scalar(node, path, expected).Trim();
        if (value.Length >= 2
            && double.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            && amount > 0
            && double.IsFinite(amount))
        {
            TimeSpan? duration = value[^1] switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (duration is { } d && d >= TimeSpan.FromSeconds(1) && d <= TimeSpan.FromDays(3650))
            {
                return d;
            }
        }

        throw new GatePolicyException($"{path} must be {expected} (at least 1s), got '{value}'");
    }

    private static string HeaderName(YamlNode node, string path)
    {
        var value = Scalar(node, path, "an HTTP header name").Trim();

        // RFC 9110 token characters: a name that cannot appear in a request would never match.
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal)))
            {
                throw new GatePolicyException($"{path} must be an HTTP header name (letters, digits, '-'), got '{value}'");
            }
        }

        return value;
    }

    private static MetricGate[] Metrics(YamlNode node)
    {
        if (node is not YamlSequenceNode sequence)
        {
            throw new GatePolicyException("gates.metrics must be a list of expressions such as 'auc >= champion.auc - 0.01'");
        }

        var gates = new List<MetricGate>(sequence.Children.Count);
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"gates.metrics[{i}]");
            var text = Scalar(sequence.Children[i], path, "an expression such as 'auc >= champion.auc - 0.01'");
            try
            {
                gates.Add(new MetricGate(MetricExpression.Parse(text)));
            }
            catch (FormatException e)
            {
                throw new GatePolicyException($"{path} '{text}' is not a metric expression: {e.Message}", e);
            }
        }

        return [.. gates];
    }

    private static string Format(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Text.Json.Nodes;
using Slipway.Cli.Tests.Infrastructure;
using Slipway.Testing;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Slipway.Cli.Tests.Helm;

/// <summary>
/// Renders <c>deploy/helm/slipway</c> with <c>.tools/bin/helm-template</c> (Helm's template engine parts: Go's
/// text/template, sprig, sigs.k8s.io/yaml, gojsonschema; built by <c>scripts/test.sh</c>) and validates manifests with
/// the Kubernetes and prometheus-operator OpenAPI schemas (kubernetes-models, in <c>.tools/</c>).
/// </summary>
internal static class HelmChart
{
    public static string Directory => RepoPaths.Combine("deploy", "helm", "slipway");

    private static string Renderer => RepoPaths.Combine(".tools", "bin", "helm-template");

    /// <summary>Renders the chart with <paramref name="values"/> (YAML) as release <paramref name="release"/>.</summary>
    public static async Task<ChartRender> RenderAsync(string values, string release = "demo", string ns = "models")
    {
        Assert.True(File.Exists(Renderer), $"{Renderer} not found: run ./scripts/test.sh, which builds it.");
        using var work = new TempDirectory("slipway-chart");
        var file = work.Combine("values.yaml");
        await File.WriteAllTextAsync(file, values);
        var (code, output, error) = await ToolProcess.RunAsync(Renderer, ["-f", file, "--name", release, "--namespace", ns, Directory]);
        return new ChartRender(code, output, error);
    }

    /// <summary>Validates every manifest in <paramref name="yaml"/> against its OpenAPI schema; returns one line per problem.</summary>
    public static async Task<IReadOnlyList<string>> ValidateAsync(string yaml)
    {
        using var work = new TempDirectory("slipway-chart");
        var file = work.Combine("manifests.yaml");
        await File.WriteAllTextAsync(file, yaml);
        var (code, output, error) = await ToolProcess.RunAsync("node", [RepoPaths.Combine("tests", "tools", "validate-manifests", "validate.mjs"), RepoPaths.Combine(".tools"), file]);
        var results = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!.AsObject()).ToList();
        Assert.True(results.Count > 0, "the validator checked nothing: " + error);
        var problems = results.Where(r => !(bool)r["valid"]!)
            .Select(r => $"{r["kind"]} {r["name"]}: {string.Join("; ", r["errors"]!.AsArray().Select(e => (string)e!))}")
            .ToList();
        Assert.True(problems.Count > 0 || code == 0, $"validator exited {code}: {error}");
        return problems;
    }

    /// <summary>Every YAML document of <paramref name="yaml"/> as JSON (plain scalars typed as YAML 1.2's core schema does).</summary>
    public static IReadOnlyList<JsonObject> ParseDocuments(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Where(d => d.RootNode is YamlMappingNode).Select(d => ToJson(d.RootNode)!.AsObject()).ToList();
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(p => KeyValuePair.Create(((YamlScalarNode)p.Key).Value!, ToJson(p.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidOperationException("unexpected YAML node " + node.NodeType),
    };

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style is not ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        if (text is "" or "~" or "null")
        {
            return null;
        }

        if (text is "true" or "false")
        {
            return JsonValue.Create(text == "true");
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && !text.Contains(':', StringComparison.Ordinal)
            ? JsonValue.Create(number)
            : JsonValue.Create(text);
    }
}

/// <summary>One rendering: the exit code, the manifests (standard output) and the error.</summary>
internal sealed record ChartRender(int ExitCode, string Output, string Error)
{
    private IReadOnlyList<JsonObject>? manifests;

    public IReadOnlyList<JsonObject> Manifests
    {
        get
        {
            Assert.True(ExitCode == 0, "rendering failed: " + Error);
            return manifests ??= HelmChart.ParseDocuments(Output);
        }
    }

    public IEnumerable<JsonObject> OfKind(string kind) => Manifests.Where(m => (string?)m["kind"] == kind);

    public JsonObject Get(string kind, string name) =>
        OfKind(kind).SingleOrDefault(m => (string?)m["metadata"]!["name"] == name)
        ?? throw new Xunit.Sdk.XunitException($"no {kind} {name} among: {string.Join(", ", Manifests.Select(m => $"{m["kind"]} {m["metadata"]!["name"]}"))}");

    /// <summary>The first container of a Deployment's pod template.</summary>
    public static JsonObject Container(JsonObject deployment) => deployment["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject();

    /// <summary>The plain value of a container's environment variable; null when it is absent or comes from a reference.</summary>
    public static string? Env(JsonObject container, string name) =>
        container["env"]!.AsArray().Where(e => (string)e!["name"]! == name).Select(e => (string?)e!["value"]).SingleOrDefault();

    /// <summary>
    /// The port number that <paramref name="port"/> names for <paramref name="container"/>: a number (also as text, as
    /// annotations hold it) or the name of one of its declared ports; 0 when no declared port has that name.
    /// </summary>
    public static int Port(JsonObject container, JsonNode port)
    {
        if (port.GetValueKind() == System.Text.Json.JsonValueKind.Number)
        {
            return (int)(long)port;
        }

        var text = (string)port!;
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? number
            : container["ports"]!.AsArray().Where(p => (string)p!["name"]! == text).Select(p => (int)(long)p!["containerPort"]!).SingleOrDefault();
    }
}

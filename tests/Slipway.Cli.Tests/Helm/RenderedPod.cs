using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Slipway.Cli.Tests.Build;

namespace Slipway.Cli.Tests.Helm;

/// <summary>
/// Runs the container of a rendered pod spec (a Deployment's template or a Pod) with podman as a kubelet would start
/// it: its image, args, environment (plain values and <c>secretKeyRef</c>s resolved from the rendered Secrets), user,
/// read-only root with its <c>emptyDir</c> mounts as tmpfs, dropped capabilities. Probes and Services are the test's
/// to exercise; Service names resolve only where the caller maps them (<c>--add-host</c>).
/// </summary>
internal static class RenderedPod
{
    /// <summary>Starts the container of <paramref name="pod"/> (a pod spec) detached; returns its id.</summary>
    public static async Task<string> RunAsync(ContainerTools tools, ChartRender render, JsonNode pod, params string[] podmanArguments)
    {
        var container = pod["containers"]![0]!.AsObject();
        var security = pod["securityContext"]!;
        List<string> arguments =
        [
            "run", "-d", .. podmanArguments,
            "--user", string.Create(CultureInfo.InvariantCulture, $"{(long)security["runAsUser"]!}:{(long)security["runAsGroup"]!}"),
        ];
        var containerSecurity = container["securityContext"]!;
        if ((bool?)containerSecurity["readOnlyRootFilesystem"] == true)
        {
            arguments.Add("--read-only");
        }

        if ((bool?)containerSecurity["allowPrivilegeEscalation"] == false)
        {
            arguments.AddRange(["--security-opt", "no-new-privileges"]);
        }

        foreach (var capability in containerSecurity["capabilities"]?["drop"]?.AsArray() ?? [])
        {
            arguments.AddRange(["--cap-drop", (string)capability!]);
        }

        var emptyDirs = (pod["volumes"]?.AsArray() ?? []).Where(v => v!["emptyDir"] is not null).Select(v => (string)v!["name"]!).ToHashSet();
        foreach (var mount in container["volumeMounts"]?.AsArray() ?? [])
        {
            Assert.Contains((string)mount!["name"]!, emptyDirs);
            arguments.AddRange(["--tmpfs", (string)mount["mountPath"]! + ":rw,mode=1777"]);
        }

        foreach (var variable in container["env"]!.AsArray())
        {
            arguments.AddRange(["-e", $"{(string)variable!["name"]!}={Resolve(render, variable.AsObject())}"]);
        }

        arguments.Add((string)container["image"]!);
        arguments.AddRange(container["args"]?.AsArray().Select(a => (string)a!) ?? []);
        return await tools.PodmanAsync([.. arguments]);
    }

    /// <summary>The pod spec of a Deployment's template.</summary>
    public static JsonNode Template(JsonObject deployment) => deployment["spec"]!["template"]!["spec"]!;

    /// <summary>The URL of a container's probe, on the host network.</summary>
    public static string ProbeUrl(JsonObject container, string probe)
    {
        var get = container[probe]!["httpGet"]!;
        var port = ChartRender.Port(container, get["port"]!);
        return string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}{(string)get["path"]!}");
    }

    private static string Resolve(ChartRender render, JsonObject variable)
    {
        if (variable["value"] is { } value)
        {
            return (string)value!;
        }

        var reference = variable["valueFrom"]!["secretKeyRef"]!;
        var secret = render.Get("Secret", (string)reference["name"]!);
        var data = secret["data"]![(string)reference["key"]!] ?? throw new Xunit.Sdk.XunitException($"Secret {reference["name"]} has no key {reference["key"]}");
        return Encoding.UTF8.GetString(Convert.FromBase64String((string)data!));
    }
}

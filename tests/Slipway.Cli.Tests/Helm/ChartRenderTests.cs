using System.Text;
using System.Text.Json.Nodes;
using Slipway.Cli.Ci;
using Slipway.Cli.Tests.Infrastructure;
using Slipway.Testing;

namespace Slipway.Cli.Tests.Helm;

/// <summary>
/// The Helm chart rendered with real values: every manifest passes the Kubernetes (and prometheus-operator) OpenAPI
/// schemas, the names, selectors, probes, secrets and monitoring objects fit together, and bad values stop the render
/// with a message naming the value.
/// </summary>
public sealed class ChartRenderTests
{
    private const string PostgresPassword = "p@ss word/1";
    private const string SecretKey = "s3-secret-key";

    /// <summary>A production-like install: two models, one of them a baked image without autoscaling, the operator objects on.</summary>
    private const string FullValues = $$$"""
        image: {repository: registry.example/slipway-serve, tag: "0.1.0"}
        server:
          postgresql: {host: pg.db.svc, password: "{{{PostgresPassword}}}", sslmode: require}
          ingress: {enabled: true, className: nginx, host: mlflow.example.com, annotations: {nginx.ingress.kubernetes.io/proxy-body-size: "0"}, tls: [{secretName: mlflow-tls, hosts: [mlflow.example.com]}]}
          s3: {bucket: models, prefix: /slipway/, endpoint: "http://minio.storage:9000", accessKeyId: AKIDEXAMPLE, secretAccessKey: {{{SecretKey}}}}
        serving:
          models:
            - {name: iris, alias: champion}
            - name: fraud
              alias: challenger
              image: {repository: registry.example/slipway-fraud, tag: "3"}
              autoscaling: {enabled: false}
              replicas: 3
        metrics:
          serviceMonitor: {enabled: true, labels: {release: kube-prometheus}}
          prometheusRule: {enabled: true}
        """;

    [Fact]
    public async Task Every_manifest_passes_the_Kubernetes_schemas_and_the_validator_can_fail()
    {
        var render = await HelmChart.RenderAsync(FullValues);

        Assert.Empty(await HelmChart.ValidateAsync(render.Output));
        Assert.Equal(
            ["ConfigMap", "ConfigMap", "Deployment", "Deployment", "Deployment", "HorizontalPodAutoscaler", "Ingress", "Pod", "Pod", "Pod", "PodDisruptionBudget", "PodDisruptionBudget", "PodDisruptionBudget", "PrometheusRule", "Secret", "Service", "Service", "Service", "ServiceMonitor"],
            render.Manifests.Select(m => (string)m["kind"]!).Order(StringComparer.Ordinal));

        // The same check refuses a Deployment whose port is not a number, an autoscaler without its target and a
        // misspelt field.
        var broken = render.Output.Replace("containerPort: 8080", "containerPort: eighty", StringComparison.Ordinal)
            .Replace("scaleTargetRef:", "scaleTarget:", StringComparison.Ordinal)
            .Replace("terminationGracePeriodSeconds:", "terminationGracePeriod:", StringComparison.Ordinal);
        var problems = await HelmChart.ValidateAsync(broken);
        Assert.Contains(problems, p => p.Contains("/spec/template/spec/terminationGracePeriod is not a field of V1PodSpec", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Deployment slipway-iris-champion", StringComparison.Ordinal) && p.Contains("containerPort must be integer", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("HorizontalPodAutoscaler", StringComparison.Ordinal) && p.Contains("scaleTargetRef", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Serving_deployments_are_named_as_the_CI_workflows_roll_them_out_and_probe_the_V2_health_endpoints()
    {
        var render = await HelmChart.RenderAsync(FullValues);

        foreach (var (model, alias) in new[] { ("iris", "champion"), ("fraud", "challenger") })
        {
            // `slipway ci init` rolls out `kubectl set image deployment/<this> serve=IMAGE`.
            var name = new CiSettings(model, alias, "0.1.0").Deployment;
            var deployment = render.Get("Deployment", name);
            var container = ChartRender.Container(deployment);
            Assert.Equal("serve", (string)container["name"]!);
            AssertProbe(container, "startupProbe", "/v2/health/ready");
            AssertProbe(container, "readinessProbe", "/v2/health/ready");
            AssertProbe(container, "livenessProbe", "/v2/health/live");
            Assert.NotNull(container["resources"]!["requests"]!["cpu"]);
            Assert.NotNull(container["resources"]!["requests"]!["memory"]);
            Assert.Equal("http://demo-slipway-server.models.svc:5000", ChartRender.Env(container, "SLIPWAY_TRACKING_URI"));

            // The inference log and drift profiles go to a size-limited emptyDir mounted where the pod is told to log.
            var logDirectory = ChartRender.Env(container, "SLIPWAY_MONITORING_DIR");
            var mount = container["volumeMounts"]!.AsArray().Single(m => (string)m!["mountPath"]! == logDirectory)!;
            var volume = deployment["spec"]!["template"]!["spec"]!["volumes"]!.AsArray().Single(v => (string)v!["name"]! == (string)mount["name"]!)!;
            Assert.Equal("2Gi", (string)volume["emptyDir"]!["sizeLimit"]!);
            Assert.Equal("1", ChartRender.Env(container, "SLIPWAY_LOG_SAMPLE_RATE"));

            // Graceful termination: SIGTERM drains in-flight requests after the preStop pause, within the grace period.
            var grace = (long)deployment["spec"]!["template"]!["spec"]!["terminationGracePeriodSeconds"]!;
            var pause = (long)container["lifecycle"]!["preStop"]!["sleep"]!["seconds"]!;
            Assert.True(pause > 0 && pause < grace, $"preStop {pause} s within a {grace} s grace period");
            Assert.Equal(0L, (long)deployment["spec"]!["strategy"]!["rollingUpdate"]!["maxUnavailable"]!);

            // Prometheus' pod discovery scrapes the container's own port at /metrics.
            var annotations = deployment["spec"]!["template"]!["metadata"]!["annotations"]!;
            Assert.Equal("true", (string)annotations["prometheus.io/scrape"]!);
            Assert.Equal("/metrics", (string)annotations["prometheus.io/path"]!);
            Assert.Equal(ChartRender.Port(container, "http").ToString(System.Globalization.CultureInfo.InvariantCulture), (string)annotations["prometheus.io/port"]!);

            // Its Service and disruption budget select exactly its pods.
            var labels = deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
            AssertSelects(deployment["spec"]!["selector"]!["matchLabels"]!.AsObject(), labels);
            AssertSelects(render.Get("Service", name)["spec"]!["selector"]!.AsObject(), labels);
            AssertSelects(render.Get("PodDisruptionBudget", name)["spec"]!["selector"]!["matchLabels"]!.AsObject(), labels);
            Assert.Equal("http", (string)render.Get("Service", name)["spec"]!["ports"]![0]!["targetPort"]!);

            // `helm test` asks the Service, by name and port, for readiness with the image's own health check.
            var test = render.Get("Pod", name + "-test");
            Assert.Equal("test", (string)test["metadata"]!["annotations"]!["helm.sh/hook"]!);
            var check = test["spec"]!["containers"]![0]!.AsObject();
            Assert.Equal(["--health-check"], check["args"]!.AsArray().Select(a => (string)a!));
            Assert.Equal($"http://{name}:8080", ChartRender.Env(check, "SLIPWAY_URLS"));
        }

        // The generic image pulls its alias; the baked one carries its model and must not be told to pull.
        var iris = ChartRender.Container(render.Get("Deployment", "slipway-iris-champion"));
        Assert.Equal("registry.example/slipway-serve:0.1.0", (string)iris["image"]!);
        Assert.Equal("models:/iris@champion", ChartRender.Env(iris, "SLIPWAY_MODEL_URI"));
        var fraud = ChartRender.Container(render.Get("Deployment", "slipway-fraud-challenger"));
        Assert.Equal("registry.example/slipway-fraud:3", (string)fraud["image"]!);
        Assert.Null(ChartRender.Env(fraud, "SLIPWAY_MODEL_URI"));
    }

    [Fact]
    public async Task Autoscaled_deployments_leave_replicas_to_their_autoscaler()
    {
        var render = await HelmChart.RenderAsync(FullValues);

        var hpa = render.OfKind("HorizontalPodAutoscaler").Single();
        Assert.Equal("Deployment", (string)hpa["spec"]!["scaleTargetRef"]!["kind"]!);
        Assert.Equal("slipway-iris-champion", (string)hpa["spec"]!["scaleTargetRef"]!["name"]!);
        Assert.Equal(2L, (long)hpa["spec"]!["minReplicas"]!);
        Assert.Equal(10L, (long)hpa["spec"]!["maxReplicas"]!);
        Assert.Equal(70L, (long)hpa["spec"]!["metrics"]![0]!["resource"]!["target"]!["averageUtilization"]!);
        Assert.Null(render.Get("Deployment", "slipway-iris-champion")["spec"]!["replicas"]);
        // The entry that turned autoscaling off keeps its replica count (a default `true` does not win over its `false`).
        Assert.Equal(3L, (long)render.Get("Deployment", "slipway-fraud-challenger")["spec"]!["replicas"]!);
    }

    [Fact]
    public async Task Server_runs_several_replicas_on_PostgreSQL_and_S3_with_its_secrets_only_in_a_Secret()
    {
        var render = await HelmChart.RenderAsync(FullValues);

        var server = render.Get("Deployment", "demo-slipway-server");
        Assert.Equal(2L, (long)server["spec"]!["replicas"]!);
        var container = ChartRender.Container(server);
        Assert.Equal(["server"], container["args"]!.AsArray().Select(a => (string)a!));
        AssertProbe(container, "startupProbe", "/health");
        AssertProbe(container, "readinessProbe", "/health");
        AssertProbe(container, "livenessProbe", "/health");
        Assert.Equal("postgresql://slipway@pg.db.svc:5432/slipway?sslmode=require", ChartRender.Env(container, "SLIPWAY_STORE"));
        Assert.Equal("s3://models/slipway", ChartRender.Env(container, "SLIPWAY_ARTIFACTS"));
        Assert.Equal("http://minio.storage:9000", ChartRender.Env(container, "SLIPWAY_S3_ENDPOINT"));
        AssertSelects(render.Get("PodDisruptionBudget", "demo-slipway-server")["spec"]!["selector"]!["matchLabels"]!.AsObject(), server["spec"]!["template"]!["metadata"]!["labels"]!.AsObject());
        AssertSelects(render.Get("Service", "demo-slipway-server")["spec"]!["selector"]!.AsObject(), server["spec"]!["template"]!["metadata"]!["labels"]!.AsObject());

        // MLflow clients outside the cluster reach it through the Ingress, on the Service's named port.
        var ingress = render.Get("Ingress", "demo-slipway-server");
        Assert.Equal("mlflow.example.com", (string)ingress["spec"]!["rules"]![0]!["host"]!);
        var backend = ingress["spec"]!["rules"]![0]!["http"]!["paths"]![0]!["backend"]!["service"]!;
        Assert.Equal("demo-slipway-server", (string)backend["name"]!);
        Assert.Contains((string)backend["port"]!["name"]!, render.Get("Service", "demo-slipway-server")["spec"]!["ports"]!.AsArray().Select(p => (string)p!["name"]!));
        Assert.Equal("mlflow-tls", (string)ingress["spec"]!["tls"]![0]!["secretName"]!);

        // Each secret reference resolves to a key of the chart's Secret, which holds the values; nothing else does.
        var secret = render.Get("Secret", "demo-slipway-server");
        Assert.Equal(PostgresPassword, SecretValue(secret, ResolveSecretRef(container, "PGPASSWORD", secret)));
        Assert.Equal("AKIDEXAMPLE", SecretValue(secret, ResolveSecretRef(container, "AWS_ACCESS_KEY_ID", secret)));
        Assert.Equal(SecretKey, SecretValue(secret, ResolveSecretRef(container, "AWS_SECRET_ACCESS_KEY", secret)));
        foreach (var manifest in render.Manifests.Where(m => (string)m["kind"]! != "Secret"))
        {
            var text = manifest.ToJsonString();
            Assert.DoesNotContain(PostgresPassword, text, StringComparison.Ordinal);
            Assert.DoesNotContain(SecretKey, text, StringComparison.Ordinal);
        }

        // Both roles run as the images' non-root user on a read-only root file system.
        foreach (var deployment in render.OfKind("Deployment"))
        {
            var pod = deployment["spec"]!["template"]!["spec"]!;
            Assert.True((bool)pod["securityContext"]!["runAsNonRoot"]!);
            Assert.Equal(10001L, (long)pod["securityContext"]!["runAsUser"]!);
            Assert.True((bool)ChartRender.Container(deployment.AsObject())["securityContext"]!["readOnlyRootFilesystem"]!);
        }
    }

    [Fact]
    public async Task Existing_secrets_are_referenced_and_the_chart_creates_none()
    {
        var render = await HelmChart.RenderAsync("""
            server:
              postgresql: {host: pg, existingSecret: registry-db, existingSecretPasswordKey: pw}
              s3: {bucket: models, existingSecret: registry-s3}
            """);

        Assert.Empty(render.OfKind("Secret"));
        var container = ChartRender.Container(render.Get("Deployment", "demo-slipway-server"));
        Assert.Equal(("registry-db", "pw"), SecretRef(container, "PGPASSWORD"));
        Assert.Equal(("registry-s3", "AWS_ACCESS_KEY_ID"), SecretRef(container, "AWS_ACCESS_KEY_ID"));
        Assert.Equal(("registry-s3", "AWS_SECRET_ACCESS_KEY"), SecretRef(container, "AWS_SECRET_ACCESS_KEY"));
        // No serving models configured: no serving objects, and no ServiceMonitor with nothing to select.
        Assert.Empty(render.OfKind("HorizontalPodAutoscaler"));
        Assert.Single(render.OfKind("Deployment"));
    }

    [Fact]
    public async Task Monitoring_objects_carry_the_deploy_folder_rules_and_dashboard()
    {
        var render = await HelmChart.RenderAsync(FullValues);

        var monitor = render.OfKind("ServiceMonitor").Single();
        Assert.Equal("kube-prometheus", (string)monitor["metadata"]!["labels"]!["release"]!);
        var endpoint = monitor["spec"]!["endpoints"]![0]!;
        Assert.Equal("/metrics", (string)endpoint["path"]!);
        foreach (var service in render.OfKind("Service").Where(s => (string)s["metadata"]!["labels"]!["app.kubernetes.io/component"]! == "serving"))
        {
            AssertSelects(monitor["spec"]!["selector"]!["matchLabels"]!.AsObject(), service["metadata"]!["labels"]!.AsObject());
            Assert.Contains((string)endpoint["port"]!, service["spec"]!["ports"]!.AsArray().Select(p => (string)p!["name"]!));
        }

        // The PrometheusRule holds deploy/prometheus/slipway-alerts.yml's groups unchanged (Prometheus' own {{ $labels }}
        // templating included), and promtool accepts them.
        var alerts = HelmChart.ParseDocuments(await File.ReadAllTextAsync(RepoPaths.Combine("deploy", "prometheus", "slipway-alerts.yml"))).Single();
        var rule = render.OfKind("PrometheusRule").Single();
        Assert.True(JsonNode.DeepEquals(alerts["groups"], rule["spec"]!["groups"]), "PrometheusRule groups differ from deploy/prometheus/slipway-alerts.yml");
        Assert.Contains("{{ $labels.model }}", rule.ToJsonString(), StringComparison.Ordinal);
        using var work = new TempDirectory("slipway-chart");
        var rulesFile = work.Combine("rules.yml");
        await File.WriteAllTextAsync(rulesFile, new JsonObject { ["groups"] = rule["spec"]!["groups"]!.DeepClone() }.ToJsonString());
        var (code, output, error) = await ToolProcess.RunAsync("promtool", ["check", "rules", rulesFile]);
        Assert.True(code == 0, output + error);
        Assert.Contains("SUCCESS: 7 rules found", output, StringComparison.Ordinal);

        var rulesMap = render.Get("ConfigMap", "demo-slipway-alerts");
        Assert.Equal((await File.ReadAllTextAsync(RepoPaths.Combine("deploy", "prometheus", "slipway-alerts.yml"))).TrimEnd(), ((string)rulesMap["data"]!["slipway-alerts.yml"]!).TrimEnd());

        var dashboard = render.Get("ConfigMap", "demo-slipway-dashboard");
        Assert.Equal("1", (string)dashboard["metadata"]!["labels"]!["grafana_dashboard"]!);
        var expected = JsonNode.Parse(await File.ReadAllTextAsync(RepoPaths.Combine("deploy", "grafana", "slipway-dashboard.json")));
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse((string)dashboard["data"]!["slipway-dashboard.json"]!)), "dashboard differs from deploy/grafana/slipway-dashboard.json");
    }

    [Fact]
    public async Task Operator_objects_are_off_by_default_and_a_release_named_slipway_is_not_named_twice()
    {
        var render = await HelmChart.RenderAsync("""
            server:
              postgresql: {host: pg, password: pw}
              s3: {bucket: models}
            serving:
              models: [{name: iris, alias: champion}]
            """, release: "slipway");

        Assert.Empty(render.OfKind("ServiceMonitor"));
        Assert.Empty(render.OfKind("PrometheusRule"));
        Assert.Empty(await HelmChart.ValidateAsync(render.Output));
        var server = ChartRender.Container(render.Get("Deployment", "slipway-server"));
        // No keys given: the pod's own identity (IRSA, instance profile) reaches S3.
        Assert.Null(ChartRender.Env(server, "AWS_ACCESS_KEY_ID"));
        Assert.Equal("http://slipway-server.models.svc:5000", ChartRender.Env(ChartRender.Container(render.Get("Deployment", "slipway-iris-champion")), "SLIPWAY_TRACKING_URI"));
    }

    public static TheoryData<string, string> BadValues => new()
    {
        { "server: {s3: {bucket: b}}", "server.postgresql.host is required" },
        { "server: {postgresql: {host: pg, password: pw}}", "server.s3.bucket is required" },
        { "server: {postgresql: {host: pg}, s3: {bucket: b}}", "server.postgresql.password or server.postgresql.existingSecret is required" },
        { "server: {postgresql: {host: pg, password: pw}, s3: {bucket: b, accessKeyId: AK}}", "server.s3.accessKeyId and server.s3.secretAccessKey go together" },
        { "server: {replicas: two}", "server.replicas: Invalid type. Expected: integer, given: string" },
        { "serving: {modles: []}", "serving: Additional property modles is not allowed" },
        { "serving: {models: [{name: iris}]}", "serving.models.0: alias is required" },
        { "serving: {models: [{name: iris, alias: champion, replicas: -1}]}", "serving.models.0.replicas: Must be greater than or equal to 0" },
        { "serving: {trackingUri: registry:5000}", "serving.trackingUri: Does not match pattern" },
        { "serving: {models: [{name: Iris_Model, alias: champion}]}", "serving.models[0]: \"slipway-Iris_Model-champion\" is not a valid Kubernetes name" },
        { "serving: {models: [{name: iris, alias: champion, autoscaling: {minReplicas: 5, maxReplicas: 2}}]}", "serving.models[0].autoscaling: minReplicas (5) is larger than maxReplicas (2)" },
        { "server: {enabled: false}\nserving: {models: [{name: iris, alias: champion}]}", "serving.trackingUri is required when server.enabled is false" },
        { "metrics: {serviceMonitor: {interval: soon}}", "metrics.serviceMonitor.interval: Does not match pattern" },
        { "serving: {monitoring: {sampleRate: 2}}", "serving.monitoring.sampleRate: Must be less than or equal to 1" },
        { "server: {postgresql: {host: pg, password: pw}, s3: {bucket: b}, ingress: {enabled: true}}", "server.ingress.host is required when server.ingress.enabled is true" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task Bad_values_stop_the_render_with_a_message_naming_the_value(string values, string message)
    {
        var complete = "server: {postgresql: {host: pg, password: pw}, s3: {bucket: b}}\n";
        // Values that do not set the server get a complete one first, so the error is about the value under test.
        var render = await HelmChart.RenderAsync(values.StartsWith("server:", StringComparison.Ordinal) ? values : complete + values);

        Assert.Equal(1, render.ExitCode);
        Assert.Equal(string.Empty, render.Output);
        Assert.StartsWith("Error: ", render.Error, StringComparison.Ordinal);
        Assert.Contains(message, render.Error, StringComparison.Ordinal);
    }

    private static void AssertProbe(JsonObject container, string probe, string path)
    {
        var get = container[probe]?["httpGet"] ?? throw new Xunit.Sdk.XunitException($"container {container["name"]} has no {probe}.httpGet");
        Assert.Equal(path, (string)get["path"]!);
        // A named port must be one the container declares.
        Assert.True(ChartRender.Port(container, get["port"]!) > 0);
    }


    private static void AssertSelects(JsonObject selector, JsonObject labels)
    {
        Assert.NotEmpty(selector);
        foreach (var (key, value) in selector)
        {
            Assert.True(labels.TryGetPropertyValue(key, out var label) && (string?)label == (string?)value, $"selector {key}={value} does not match labels {labels.ToJsonString()}");
        }
    }


    private static (string Name, string Key) SecretRef(JsonObject container, string name)
    {
        var reference = container["env"]!.AsArray().Single(e => (string)e!["name"]! == name)!["valueFrom"]!["secretKeyRef"]!;
        return ((string)reference["name"]!, (string)reference["key"]!);
    }

    private static string ResolveSecretRef(JsonObject container, string name, JsonObject secret)
    {
        var (secretName, key) = SecretRef(container, name);
        Assert.Equal((string)secret["metadata"]!["name"]!, secretName);
        return key;
    }

    private static string SecretValue(JsonObject secret, string key) => Encoding.UTF8.GetString(Convert.FromBase64String((string)secret["data"]![key]!));
}

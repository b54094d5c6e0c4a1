using Slipway.Cli.Tests.Infrastructure;
using Slipway.Testing;

namespace Slipway.Cli.Tests.Build;

/// <summary>
/// <c>slipway build --no-build</c> against an embedded registry: the context's files and Containerfile, and the
/// one-line errors. A folder holding a file named slipway-serve stands in for a published app (it is only copied).
/// </summary>
public sealed class BuildContextTests : IDisposable
{
    private readonly TempDirectory work = SlipwayExecutable.NewWorkingDirectory();

    private string Registry => work.Combine("registry");

    public void Dispose() => work.Dispose();

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Baked_context_holds_model_app_runtime_libraries_and_a_containerfile()
    {
        var digest = await RegisterIrisAsync();
        var app = FakeApp();
        var context = work.Combine("ctx");

        var result = (await SlipwayExecutable.RunAsync(work.Path, "--registry", Registry, "--output", "json", "build", "models:/iris@prod", "--out", context, "--no-build", "--serve-app", app)).ShouldSucceed();

        var json = result.Json();
        Assert.Equal("iris", json.GetProperty("model").GetString());
        Assert.Equal(1, json.GetProperty("version").GetInt64());
        Assert.Equal(digest, json.GetProperty("content_digest").GetString());
        Assert.Equal("models:/iris/1", json.GetProperty("model_uri").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.GetProperty("image").ValueKind);
        Assert.True(File.Exists(Path.Combine(context, "model", "MLmodel")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(app, "slipway-serve")), File.ReadAllBytes(Path.Combine(context, "app", "slipway-serve")));
        Assert.True(File.Exists(Path.Combine(context, "rootfs", "lib64", "ld-linux-x86-64.so.2")));
        foreach (var library in new[] { "libc.so.6", "libstdc++.so.6", "libgcc_s.so.1", "libssl.so.3" })
        {
            Assert.True(File.Exists(Path.Combine(context, "rootfs", "lib", "x86_64-linux-gnu", library)), library);
        }

        Assert.Contains("slipway:x:10001:10001:", File.ReadAllText(Path.Combine(context, "rootfs", "etc", "passwd")), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.StickyBit, File.GetUnixFileMode(Path.Combine(context, "rootfs", "tmp")) & UnixFileMode.StickyBit);
        Assert.Equal((UnixFileMode)0x1FF, File.GetUnixFileMode(Path.Combine(context, "rootfs", "tmp")) & (UnixFileMode)0x1FF);

        var lines = File.ReadAllLines(Path.Combine(context, "Containerfile"));
        Assert.Contains("FROM scratch", lines);
        Assert.Contains("COPY model/ /model/", lines);
        Assert.Contains("USER 10001:10001", lines);
        Assert.Contains("EXPOSE 8080", lines);
        Assert.Contains(lines, l => l.StartsWith("HEALTHCHECK ", StringComparison.Ordinal) && l.Contains("\"/app/slipway-serve\", \"--health-check\"", StringComparison.Ordinal));
        Assert.Contains("ENTRYPOINT [\"/app/slipway-serve\"]", lines);
        var text = string.Join('\n', lines);
        Assert.Contains("io.slipway.model.name=\"iris\"", text, StringComparison.Ordinal);
        Assert.Contains("io.slipway.model.version=\"1\"", text, StringComparison.Ordinal);
        Assert.Contains($"io.slipway.model.content-digest=\"{digest}\"", text, StringComparison.Ordinal);
        Assert.Contains("org.opencontainers.image.version=\"1\"", text, StringComparison.Ordinal);
        Assert.Contains("org.opencontainers.image.title=", text, StringComparison.Ordinal);
        Assert.Contains($"SLIPWAY_MODEL_DIGEST={digest}", text, StringComparison.Ordinal);
        Assert.DoesNotContain("USER 0", text, StringComparison.Ordinal);
        Assert.DoesNotContain("USER root", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generic_context_bakes_no_model_and_pulls_the_alias_at_start()
    {
        await RegisterIrisAsync();
        var context = work.Combine("ctx");

        var result = (await SlipwayExecutable.RunAsync(work.Path, "--registry", Registry, "--output", "json", "build", "models:/iris@prod", "--out", context, "--no-build", "--generic", "--serve-app", FakeApp())).ShouldSucceed();

        Assert.Equal("models:/iris@prod", result.Json().GetProperty("model_uri").GetString());
        Assert.False(Directory.Exists(Path.Combine(context, "model")));
        var text = File.ReadAllText(Path.Combine(context, "Containerfile"));
        Assert.Contains("ENV SLIPWAY_MODEL_URI=\"models:/iris@prod\"", text, StringComparison.Ordinal);
        Assert.Contains("io.slipway.model.name=\"iris\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("content-digest", text, StringComparison.Ordinal);
        Assert.DoesNotContain("COPY model/", text, StringComparison.Ordinal);
        Assert.Contains("USER 10001:10001", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_model_fails_with_one_line()
    {
        await RegisterIrisAsync();
        (await SlipwayExecutable.RunAsync(work.Path, "--registry", Registry, "build", "models:/nope/1", "--out", work.Combine("ctx"), "--no-build", "--serve-app", FakeApp()))
            .ShouldFailWith(1, "nope");
        Assert.False(Directory.Exists(work.Combine("ctx")));
    }

    [Fact]
    public async Task Bad_builder_name_fails_with_one_line()
    {
        (await SlipwayExecutable.RunAsync(work.Path, "--registry", Registry, "build", "models:/iris/1", "--out", work.Combine("ctx"), "--builder", "kaniko"))
            .ShouldFailWith(1, "unknown builder 'kaniko'");
    }

    [Fact]
    public async Task Missing_builder_fails_with_one_line()
    {
        var empty = work.Combine("empty-path");
        Directory.CreateDirectory(empty);
        var environment = new Dictionary<string, string> { ["PATH"] = empty };
        (await SlipwayExecutable.RunAsync(work.Path, environment, "--registry", Registry, "build", "models:/iris/1", "--out", work.Combine("ctx"), "--builder", "docker"))
            .ShouldFailWith(1, "builder 'docker' not found");
        (await SlipwayExecutable.RunAsync(work.Path, environment, "--registry", Registry, "build", "models:/iris/1", "--out", work.Combine("ctx")))
            .ShouldFailWith(1, "no image builder found");
    }

    [Fact]
    public async Task Existing_non_empty_out_fails_with_one_line()
    {
        var context = work.Combine("ctx");
        Directory.CreateDirectory(context);
        File.WriteAllText(Path.Combine(context, "keep.txt"), "mine");
        (await SlipwayExecutable.RunAsync(work.Path, "--registry", Registry, "build", "models:/iris/1", "--out", context, "--no-build"))
            .ShouldFailWith(1, "exists and is not empty");
        Assert.Equal("mine", File.ReadAllText(Path.Combine(context, "keep.txt")));
    }

    [Fact]
    public async Task Serve_app_without_the_executable_fails_with_one_line()
    {
        await RegisterIrisAsync();
        var empty = work.Combine("not-an-app");
        Directory.CreateDirectory(empty);
        (await SlipwayExecutable.RunAsync(work.Path, "--registry", Registry, "build", "models:/iris/1", "--out", work.Combine("ctx"), "--no-build", "--serve-app", empty))
            .ShouldFailWith(1, "holds no slipway-serve");
    }

    private async Task<string> RegisterIrisAsync()
    {
        var registered = (await SlipwayExecutable.RunAsync(work.Path, "--registry", Registry, "--output", "json", "models", "register", "iris", RegistryScenario.IrisModel)).ShouldSucceed();
        (await SlipwayExecutable.RunAsync(work.Path, "--registry", Registry, "alias", "set", "iris", "prod", "1")).ShouldSucceed();
        return registered.Json().GetProperty("content_digest").GetString()!;
    }

    private string FakeApp()
    {
        var app = work.Combine("app");
        Directory.CreateDirectory(app);
        File.WriteAllText(Path.Combine(app, "slipway-serve"), "#!/bin/sh\n");
        File.WriteAllText(Path.Combine(app, "slipway-serve.dll"), "stand-in");
        return app;
    }
}

using System.Globalization;
using System.Text;
using Slipway.Core.Registry;

namespace Slipway.Cli.Build;

/// <summary>
/// The Containerfile of a serving image: <c>FROM scratch</c> with the C runtime libraries the self-contained
/// <c>slipway-serve</c> needs (<c>rootfs/</c>), the app in <c>/app</c>, the model package in <c>/model</c> (baked
/// mode), a non-root numeric user, a health check on <c>/v2/health/ready</c>, <c>EXPOSE 8080</c> and OCI labels.
/// </summary>
public static class ImageDefinition
{
    /// <summary>The user and group id the server runs as (an entry in the image's <c>/etc/passwd</c>).</summary>
    public const int UserId = 10001;

    /// <summary>The port the server listens on inside the container.</summary>
    public const int Port = 8080;

    /// <summary>
    /// The image labels: <c>org.opencontainers.image.*</c> plus <c>io.slipway.model.*</c>. The creation time is the
    /// version's (not the build's), so the same inputs give the same image. <paramref name="version"/> null: generic image.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Labels(string name, ModelVersion? version, ModelUri servedUri)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(servedUri);
        var labels = new List<KeyValuePair<string, string>>
        {
            new("org.opencontainers.image.title", "slipway-serve " + name),
            new("org.opencontainers.image.description", version is null
                ? $"Serves {servedUri} pulled from the registry at SLIPWAY_TRACKING_URI (MLflow /invocations, Open Inference Protocol V2)"
                : $"Serves {name} version {version.Version.ToString(CultureInfo.InvariantCulture)} (MLflow /invocations, Open Inference Protocol V2)"),
            new("org.opencontainers.image.vendor", "Slipway"),
            new("io.slipway.model.name", name),
            new("io.slipway.model.uri", servedUri.ToString()),
        };
        if (version is not null)
        {
            var number = version.Version.ToString(CultureInfo.InvariantCulture);
            labels.Add(new("org.opencontainers.image.version", number));
            labels.Add(new("org.opencontainers.image.created", DateTimeOffset.FromUnixTimeMilliseconds(version.CreationTimestamp).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));
            labels.Add(new("io.slipway.model.version", number));
            labels.Add(new("io.slipway.model.content-digest", version.ContentDigest));
            if (version.RunId.Length > 0)
            {
                labels.Add(new("io.slipway.model.run-id", version.RunId));
            }
        }

        return labels;
    }

    /// <summary>The Containerfile text for the labels; <paramref name="version"/> null writes a generic image.</summary>
    public static string Containerfile(string name, ModelVersion? version, ModelUri servedUri)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"""
            # Written by `slipway build`. Build with the docker format (podman and buildah honour HEALTHCHECK only there) and a
            # fixed timestamp so the same inputs give the same layers:
            #   buildah bud --format docker --timestamp 0 -t TAG .      podman build --format docker --timestamp 0 -t TAG .
            # FROM scratch: rootfs/ holds only the C runtime libraries the self-contained slipway-serve loads (glibc, libgcc_s,
            # libstdc++, OpenSSL for SHA-256 and https), copied from the machine that ran `slipway build`; /etc/passwd and
            # /etc/group name the non-root user; /tmp is writable (the model cache).
            FROM scratch
            COPY rootfs/ /
            COPY app/ /app/

            """);
        if (version is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"""
                COPY model/ /model/
                ENV SLIPWAY_MODEL_DIR=/model SLIPWAY_MODEL_NAME={Quote(name)} SLIPWAY_MODEL_VERSION={version.Version} SLIPWAY_MODEL_DIGEST={version.ContentDigest}

                """);
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"""
                # Generic image: set SLIPWAY_TRACKING_URI (a Slipway server) at run time; SLIPWAY_MODEL_URI may be overridden.
                ENV SLIPWAY_MODEL_URI={Quote(servedUri.ToString())}

                """);
        }

        text.Append(CultureInfo.InvariantCulture, $"""
            ENV SLIPWAY_URLS=http://0.0.0.0:{Port} SLIPWAY_CACHE_DIR=/tmp/slipway-model-cache DOTNET_CLI_TELEMETRY_OPTOUT=1
            LABEL {string.Join(" \\\n      ", Labels(name, version, servedUri).Select(l => $"{l.Key}={Quote(l.Value)}"))}
            USER {UserId}:{UserId}
            EXPOSE {Port}
            HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 CMD ["/app/slipway-serve", "--health-check"]
            ENTRYPOINT ["/app/slipway-serve"]

            """);
        return text.ToString();
    }

    /// <summary>The lines of the image's <c>/etc/passwd</c>.</summary>
    public static string Passwd => $"root:x:0:0:root:/root:/sbin/nologin\nslipway:x:{UserId}:{UserId}:slipway:/tmp:/sbin/nologin\n";

    /// <summary>The lines of the image's <c>/etc/group</c>.</summary>
    public static string Group => $"root:x:0:\nslipway:x:{UserId}:\n";

    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("$", "\\$", StringComparison.Ordinal) + "\"";
}

namespace Slipway.Cli.Build;

/// <summary>What <c>slipway build</c> did: the context it wrote and the image it built (null with <c>--no-build</c>).</summary>
/// <param name="Model">The registered model name.</param>
/// <param name="Version">The version baked in; null for a generic image.</param>
/// <param name="ContentDigest">The version's content digest; empty for a generic image.</param>
/// <param name="ModelUri">The model URI the image serves.</param>
/// <param name="Context">The build context directory.</param>
/// <param name="Image">The image tag built, or null when not built.</param>
/// <param name="Builder">The builder used (podman, buildah or docker), or null when not built.</param>
/// <param name="BuildSeconds">Seconds the builder ran; 0 when not built.</param>
public sealed record BuildView(
    string Model,
    long? Version,
    string ContentDigest,
    string ModelUri,
    string Context,
    string? Image,
    string? Builder,
    double BuildSeconds);

using System.Globalization;
using Slipway.Cli.CommandLine;
using Slipway.Cli.Lineage;
using Slipway.Cli.Transfer;
using Slipway.Core.Registry;
using Slipway.Core.Signatures;
using Slipway.Core.Statistics.Drift;
using Slipway.Monitoring.Reference;
using Slipway.Packaging;

namespace Slipway.Cli.Registration;

/// <summary>
/// Registers a model file: packages it as an MLflow model directory, uploads every file through the artifact proxy,
/// and creates the version with metrics and lineage tags. Works the same against an embedded or a remote registry.
/// </summary>
public sealed class ModelRegistrar
{
    /// <summary>Tag prefix of metric tags.</summary>
    public const string MetricPrefix = "slipway.metric.";

    /// <summary>Artifact folder that uploads are staged under before a version is created from them.</summary>
    public const string UploadRoot = "_uploads";

    private readonly IModelRegistry _registry;
    private readonly CliContext _context;
    private readonly string _user;

    /// <summary>Creates a registrar over <paramref name="registry"/>, registering as <paramref name="user"/>.</summary>
    public ModelRegistrar(IModelRegistry registry, CliContext context, string user)
    {
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _context = context ?? throw new ArgumentNullException(nameof(context));
        _user = user ?? string.Empty;
    }

    /// <summary>
    /// Checks what can be checked before touching the registry: the model, data, input example and reference data
    /// paths exist and no user tag uses a reserved prefix. Throws <see cref="CliException"/> naming the problem.
    /// </summary>
    public static void Validate(RegistrationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!File.Exists(request.ModelPath) && !Directory.Exists(request.ModelPath))
        {
            throw new CliException($"model path '{request.ModelPath}' does not exist.");
        }

        foreach (var data in request.DataPaths)
        {
            if (!File.Exists(data) && !Directory.Exists(data))
            {
                throw new CliException($"data path '{data}' does not exist.");
            }
        }

        if (request.RunArtifactPath is not null && string.IsNullOrEmpty(request.RunId))
        {
            throw new CliException("a model logged to a run needs the run's id.");
        }

        RequireFile(request.InputExamplePath, "--input-example");
        RequireFile(request.ReferenceDataPath, "--reference-data");
        _ = BuildUserAndMetricTags(request);
    }

    /// <summary>Registers the model; returns the ready version or throws with the reason it is not.</summary>
    public async Task<ModelVersion> RegisterAsync(RegistrationRequest request, CancellationToken cancellationToken)
    {
        Validate(request);
        var modelPath = Path.GetFullPath(request.ModelPath);
        var tags = BuildUserAndMetricTags(request);
        foreach (var (key, value) in await LineageCollector.CollectAsync(modelPath, request.DataPaths, cancellationToken).ConfigureAwait(false))
        {
            tags[key] = value;
        }

        if (request.RunArtifactPath is { } runPath)
        {
            // The run's model is not packaged here, so its signature is not known yet: the file is read untyped first (a
            // bad file fails before the version exists) and typed by the version's signature once it does.
            _ = await ReadReferenceAsync(request, null, cancellationToken).ConfigureAwait(false);
            var fromRun = await CreateVersionAsync(request, $"runs:/{request.RunId}/{runPath}", tags, cancellationToken).ConfigureAwait(false);
            if (request.ReferenceDataPath is { } referencePath)
            {
                await AttachAsync(fromRun, () => new ReferenceStore(_context.Time).AttachAsync(_registry, fromRun.Name, fromRun.Version, referencePath, cancellationToken)).ConfigureAwait(false);
                return await _registry.GetModelVersionAsync(fromRun.Name, fromRun.Version, cancellationToken).ConfigureAwait(false);
            }

            return fromRun;
        }

        var staging = Path.Combine(Path.GetTempPath(), "slipway-package-" + Guid.NewGuid().ToString("N"));
        try
        {
            var package = await ModelPackager.CreateAsync(
                modelPath,
                staging,
                new PackageOptions(request.Columns, request.InputExamplePath),
                _context.Time,
                cancellationToken).ConfigureAwait(false);
            // Read (and so check) the reference data before anything is uploaded: a bad file leaves no version behind.
            var reference = await ReadReferenceAsync(request, package.Signature, cancellationToken).ConfigureAwait(false);
            var uploadPath = $"{UploadRoot}/{Guid.NewGuid():N}";
            await UploadDirectoryAsync(package.Directory, uploadPath, cancellationToken).ConfigureAwait(false);
            var version = await CreateVersionAsync(request, "mlflow-artifacts:/" + uploadPath, tags, cancellationToken).ConfigureAwait(false);
            if (reference is null)
            {
                return version;
            }

            var source = Path.GetFileName(request.ReferenceDataPath!);
            await AttachAsync(version, () => new ReferenceStore(_context.Time).AttachAsync(_registry, version.Name, version.Version, reference, source, cancellationToken)).ConfigureAwait(false);
            return await _registry.GetModelVersionAsync(version.Name, version.Version, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ScratchDirectory.TryDelete(staging);
        }
    }

    private static async Task<IReadOnlyList<DriftColumn>?> ReadReferenceAsync(RegistrationRequest request, ModelSignature? signature, CancellationToken cancellationToken)
    {
        if (request.ReferenceDataPath is not { } path)
        {
            return null;
        }

        try
        {
            var columns = await ReferenceDataReader.ReadAsync(path, signature, cancellationToken).ConfigureAwait(false);
            return columns.Count > 0
                ? columns
                : throw new CliException($"--reference-data '{Path.GetFileName(path)}' has none of the model's input columns.");
        }
        catch (ReferenceDataException e)
        {
            throw new CliException("--reference-data: " + e.Message);
        }
    }

    private static async Task AttachAsync(ModelVersion version, Func<Task<StoredReference>> attach)
    {
        try
        {
            await attach().ConfigureAwait(false);
        }
        catch (ReferenceDataException e)
        {
            throw new CliException(string.Create(
                CultureInfo.InvariantCulture,
                $"version {version.Version} of '{version.Name}' was registered, but its reference data was not stored: {e.Message}"));
        }
    }

    private static Dictionary<string, string> BuildUserAndMetricTags(RegistrationRequest request)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Tags)
        {
            if (key.StartsWith(LineageCollector.Prefix, StringComparison.Ordinal) || key.StartsWith(MetricPrefix, StringComparison.Ordinal))
            {
                throw new CliException($"tag '{key}' is reserved: lineage is recorded automatically and metrics are given with --metric.");
            }

            tags[key] = value;
        }

        foreach (var (key, value) in request.Metrics)
        {
            tags[MetricPrefix + key] = value.ToString("R", CultureInfo.InvariantCulture);
        }

        return tags;
    }

    private static void RequireFile(string? path, string option)
    {
        if (path is not null && !File.Exists(path))
        {
            throw new CliException($"{option} file '{path}' does not exist.");
        }
    }

    private async Task UploadDirectoryAsync(string directory, string uploadPath, CancellationToken cancellationToken)
    {
        var files = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(f => (Full: f, Relative: Path.GetRelativePath(directory, f).Replace('\\', '/'), Size: new FileInfo(f).Length))
            .OrderBy(f => f.Relative, StringComparer.Ordinal)
            .ToList();
        await TransferProgress.RunAsync(_context, "uploading", files.Sum(f => f.Size), async progress =>
        {
            foreach (var file in files)
            {
                var stream = new ProgressStream(
                    new FileStream(file.Full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true),
                    progress);
                await using (stream.ConfigureAwait(false))
                {
                    await _registry.UploadArtifactAsync($"{uploadPath}/{file.Relative}", stream, cancellationToken).ConfigureAwait(false);
                }
            }

            return files.Count;
        }).ConfigureAwait(false);
    }

    private async Task<ModelVersion> CreateVersionAsync(
        RegistrationRequest request, string source, Dictionary<string, string> tags, CancellationToken cancellationToken)
    {
        await EnsureModelAsync(request.Name, cancellationToken).ConfigureAwait(false);
        var version = await _registry.CreateModelVersionAsync(
            new NewModelVersion(request.Name, source, request.RunId, string.Empty, request.Description, _user, tags),
            cancellationToken).ConfigureAwait(false);
        if (version.Status != ModelVersionStatus.Ready)
        {
            throw new CliException(string.Create(
                CultureInfo.InvariantCulture,
                $"version {version.Version} of '{version.Name}' did not become ready: {version.StatusMessage}"));
        }

        return version;
    }

    private async Task EnsureModelAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await _registry.GetRegisteredModelAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryException e) when (e.Code == RegistryErrorCode.ResourceDoesNotExist)
        {
            try
            {
                await _registry.CreateRegisteredModelAsync(name, null, null, cancellationToken).ConfigureAwait(false);
            }
            catch (RegistryException race) when (race.Code == RegistryErrorCode.ResourceAlreadyExists)
            {
                // Another registration created it in between: that is what we wanted.
            }
        }
    }
}

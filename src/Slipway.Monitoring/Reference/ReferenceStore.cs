using System.Globalization;
using Slipway.Core.Registry;
using Slipway.Core.Signatures;
using Slipway.Core.Statistics.Drift;
using Slipway.Core.Statistics.Profiles;
using Slipway.Packaging;

namespace Slipway.Monitoring.Reference;

/// <summary>
/// Stores a model version's reference data (the training or validation set drift is measured against) in the
/// registry's artifact store and finds it again. Works the same on an embedded registry and against a Slipway server,
/// because it only uses the artifact proxy (<see cref="IModelRegistry.UploadArtifactAsync"/>,
/// <see cref="IModelRegistry.OpenArtifactAsync"/>) and version tags.
/// <para>
/// Layout: <c>model-references/NAME/VERSION/STAMP/reference.parquet</c> (the raw feature columns, read back for exact
/// drift), where STAMP is the UTC time of the attachment (<c>yyyyMMddTHHmmssfffZ</c>) so a replaced reference keeps its
/// files. Version tags point at the current one: <see cref="DataTag"/>, <see cref="RowsTag"/>, <see cref="ColumnsTag"/>,
/// <see cref="SourceTag"/>, and <see cref="ReplacedTag"/> (the data path of the reference replaced, when there was one).
/// </para>
/// </summary>
public sealed class ReferenceStore
{
    /// <summary>The artifact folder references are stored under.</summary>
    public const string Root = "model-references";

    /// <summary>Version tag: the artifact path of the reference data (Parquet).</summary>
    public const string DataTag = "slipway.reference.data";

    /// <summary>Version tag: rows in the reference data.</summary>
    public const string RowsTag = "slipway.reference.rows";

    /// <summary>Version tag: the feature columns, comma-separated.</summary>
    public const string ColumnsTag = "slipway.reference.columns";

    /// <summary>Version tag: the file name the reference was read from.</summary>
    public const string SourceTag = "slipway.reference.source";

    /// <summary>Version tag: the data path of the reference this one replaced.</summary>
    public const string ReplacedTag = "slipway.reference.replaced";

    /// <summary>The file name of the stored reference data.</summary>
    public const string DataFileName = "reference.parquet";

    private readonly TimeProvider _time;

    /// <summary>Creates a store stamping attachments with <paramref name="time"/>.</summary>
    public ReferenceStore(TimeProvider time) => _time = time ?? throw new ArgumentNullException(nameof(time));

    /// <summary>The version's signature from its <c>MLmodel</c> file; null when it has none.</summary>
    public static async Task<ModelSignature?> ReadSignatureAsync(IModelRegistry registry, string model, long version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var files = await registry.GetModelVersionFilesAsync(model, version, cancellationToken).ConfigureAwait(false);
        if (!files.Any(f => f.Path == MlModelFile.FileName))
        {
            return null;
        }

        var stream = await registry.OpenModelVersionFileAsync(model, version, MlModelFile.FileName, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream);
            var yaml = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            return MlModelFile.Parse(yaml).Signature;
        }
    }

    /// <summary>
    /// Reads <paramref name="path"/> typed by the version's signature and attaches it as the version's reference,
    /// replacing (and recording) any earlier one.
    /// </summary>
    /// <exception cref="ReferenceDataException">The file cannot be read.</exception>
    /// <exception cref="RegistryException">The model or version does not exist.</exception>
    public async Task<StoredReference> AttachAsync(IModelRegistry registry, string model, long version, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(path);
        _ = await registry.GetModelVersionAsync(model, version, cancellationToken).ConfigureAwait(false);
        var signature = await ReadSignatureAsync(registry, model, version, cancellationToken).ConfigureAwait(false);
        var columns = await ReferenceDataReader.ReadAsync(path, signature, cancellationToken).ConfigureAwait(false);
        return await AttachAsync(registry, model, version, columns, Path.GetFileName(path), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Attaches columns already read (e.g. checked before the version was created) as the version's reference.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="model">The registered model.</param>
    /// <param name="version">The version.</param>
    /// <param name="columns">The reference's feature columns, all of one length.</param>
    /// <param name="source">The file name they were read from, recorded in <see cref="SourceTag"/>.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    public async Task<StoredReference> AttachAsync(
        IModelRegistry registry, string model, long version, IReadOnlyList<DriftColumn> columns, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0)
        {
            throw new ReferenceDataException($"'{source}' has none of the model's input columns.");
        }

        var existing = await registry.GetModelVersionAsync(model, version, cancellationToken).ConfigureAwait(false);
        var stamp = _time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        var folder = string.Create(CultureInfo.InvariantCulture, $"{Root}/{Uri.EscapeDataString(model)}/{version}/{stamp}");
        var dataPath = folder + "/" + DataFileName;

        using (var buffer = new MemoryStream())
        {
            await ReferenceDataWriter.WriteAsync(buffer, columns, cancellationToken).ConfigureAwait(false);
            buffer.Position = 0;
            await registry.UploadArtifactAsync(dataPath, buffer, cancellationToken).ConfigureAwait(false);
        }

        var rows = columns[0].Length;
        var replaced = existing.Tags.TryGetValue(DataTag, out var previous) && previous != dataPath ? previous : null;
        var names = columns.Select(c => c.Name).ToArray();

        // The data tag is set last: until then an earlier reference stays whole, and a reader never sees a data path
        // whose row count or columns belong to another file.
        if (replaced is not null)
        {
            await registry.SetModelVersionTagAsync(model, version, ReplacedTag, replaced, cancellationToken).ConfigureAwait(false);
        }

        await registry.SetModelVersionTagAsync(model, version, RowsTag, rows.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        await registry.SetModelVersionTagAsync(model, version, ColumnsTag, string.Join(',', names), cancellationToken).ConfigureAwait(false);
        await registry.SetModelVersionTagAsync(model, version, SourceTag, source, cancellationToken).ConfigureAwait(false);
        await registry.SetModelVersionTagAsync(model, version, DataTag, dataPath, cancellationToken).ConfigureAwait(false);
        return new StoredReference(model, version, dataPath, rows, names, source, replaced);
    }

    /// <summary>Where the version's reference lies, from its tags; null when it has none.</summary>
    /// <exception cref="RegistryException">The model or version does not exist.</exception>
    public static async Task<StoredReference?> FindAsync(IModelRegistry registry, string model, long version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return Find(await registry.GetModelVersionAsync(model, version, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Where the reference of a version already fetched lies, from its tags; null when it has none.</summary>
    public static StoredReference? Find(ModelVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        if (!version.Tags.TryGetValue(DataTag, out var dataPath))
        {
            return null;
        }

        var rows = version.Tags.TryGetValue(RowsTag, out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : 0;
        var columns = version.Tags.TryGetValue(ColumnsTag, out var list) && list.Length > 0 ? list.Split(',') : [];
        return new StoredReference(
            version.Name,
            version.Version,
            dataPath,
            rows,
            columns,
            version.Tags.GetValueOrDefault(SourceTag) ?? string.Empty,
            version.Tags.GetValueOrDefault(ReplacedTag));
    }

    /// <summary>
    /// The version's reference profile (<see cref="ReferenceProfile.Build"/> over the stored reference data: Sturges bin
    /// edges, unique counts, sketches), the profile live traffic is binned against; null when the version has no
    /// reference. The profile is derived from the stored data rather than stored itself, so it always matches the data
    /// and follows improvements of the profile builder.
    /// </summary>
    public static async Task<DatasetProfile?> LoadProfileAsync(IModelRegistry registry, string model, long version, CancellationToken cancellationToken)
    {
        var columns = await LoadDataAsync(registry, model, version, cancellationToken).ConfigureAwait(false);
        return columns is null ? null : ReferenceProfile.Build(columns);
    }

    /// <summary>
    /// The version's reference data as drift columns, typed as stored (numeric columns as numbers, the rest as
    /// categories); null when the version has no reference.
    /// </summary>
    public static async Task<IReadOnlyList<DriftColumn>?> LoadDataAsync(IModelRegistry registry, string model, long version, CancellationToken cancellationToken)
    {
        var stored = await FindAsync(registry, model, version, cancellationToken).ConfigureAwait(false);
        return stored is null ? null : await LoadDataAsync(registry, stored, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The reference data <paramref name="stored"/> points at, as drift columns typed as stored.</summary>
    public static async Task<IReadOnlyList<DriftColumn>> LoadDataAsync(IModelRegistry registry, StoredReference stored, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(stored);

        // Parquet needs to seek (the footer first): the artifact, possibly an HTTP stream, is copied to a scratch file.
        var scratch = Path.Combine(Path.GetTempPath(), "slipway-reference-" + Guid.NewGuid().ToString("N") + ".parquet");
        try
        {
            var source = await registry.OpenArtifactAsync(stored.DataPath, cancellationToken).ConfigureAwait(false);
            await using (source.ConfigureAwait(false))
            {
                var target = new FileStream(scratch, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                await using (target.ConfigureAwait(false))
                {
                    await source.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
                }
            }

            return await ReferenceDataReader.ReadAsync(scratch, signature: null, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            try
            {
                File.Delete(scratch);
            }
            catch (IOException)
            {
                // A scratch file left in the temp folder is harmless.
            }
        }
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Slipway.Core.Deployment;
using Slipway.Core.Registry;
using Slipway.Core.Signatures;
using Slipway.Monitoring.Reference;

namespace Slipway.Deploy.Contracts;

/// <summary>
/// Whether a version's input contract accepts what callers send today: its signature against the current version's
/// signature, and against the inputs logged recently.
/// </summary>
/// <remarks>
/// Rules, for every required input of the checked version (optional columns never cause a problem):
/// <list type="bullet">
/// <item><see cref="ContractProblemKind.MissingColumn"/>: the current signature or the logged inputs lack it (by name;
/// unnamed columns by position, a single unnamed tensor matches a single tensor).</item>
/// <item><see cref="ContractProblemKind.TypeChange"/>: the type there does not convert safely to the required one
/// (<see cref="SafeConversions"/>: MLflow's upcasts only, e.g. integer to long or double, float to double).</item>
/// <item><see cref="ContractProblemKind.ShapeChange"/>: a tensor's rank or a fixed dimension differs (<c>-1</c>
/// matches anything); against logs, the values per row differ.</item>
/// <item><see cref="ContractProblemKind.KindChange"/>: one side lists columns, the other tensors (one problem for
/// all inputs, named <c>inputs</c>).</item>
/// </list>
/// Logged inputs are those of the version logged most recently in the window: the log holds what the serving model
/// took, so it shows today's traffic as bound by today's model.
/// </remarks>
/// <param name="registry">Where the versions' MLmodel files are.</param>
/// <param name="monitoringDirectory">The inference log; null when there is none (the signature comparison still runs).</param>
/// <param name="time">Clock for the window.</param>
public sealed class InputContractCheck(IModelRegistry registry, string? monitoringDirectory, TimeProvider time)
{
    /// <summary>The problems found; empty when <paramref name="target"/> accepts both.</summary>
    /// <param name="target">The version that would serve (rollback target, promotion candidate).</param>
    /// <param name="current">The version serving now, or null.</param>
    /// <param name="recent">How far back logged inputs are read.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    public async Task<IReadOnlyList<ContractProblem>> CheckAsync(ModelVersion target, ModelVersion? current, TimeSpan recent, CancellationToken cancellationToken) =>
        (await ExamineAsync(target, current, recent, cancellationToken).ConfigureAwait(false)).Problems;

    /// <summary>As <see cref="CheckAsync"/>, also saying what was compared (for gate details).</summary>
    /// <param name="target">The version that would serve.</param>
    /// <param name="current">The version serving now, or null.</param>
    /// <param name="recent">How far back logged inputs are read.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    public Task<InputContractReport> ExamineAsync(ModelVersion target, ModelVersion? current, TimeSpan recent, CancellationToken cancellationToken) =>
        ExamineAsync(target, current, recent, null, cancellationToken);

    /// <summary>
    /// As <see cref="ExamineAsync(ModelVersion, ModelVersion?, TimeSpan, CancellationToken)"/>, with the inference log
    /// of the window already read (<paramref name="logged"/>; null reads it here), so a gate run scans it once.
    /// </summary>
    internal async Task<InputContractReport> ExamineAsync(ModelVersion target, ModelVersion? current, TimeSpan recent, LoggedInputs? logged, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var targetSignature = await ReferenceStore.ReadSignatureAsync(registry, target.Name, target.Version, cancellationToken).ConfigureAwait(false);
        if (targetSignature?.Inputs is not { } inputs)
        {
            return new InputContractReport([], false, false, 0, "the version declares no inputs");
        }

        var problems = new List<ContractProblem>();
        var comparedWithCurrent = false;
        if (current is not null)
        {
            var currentSignature = await ReferenceStore.ReadSignatureAsync(registry, current.Name, current.Version, cancellationToken).ConfigureAwait(false);
            if (currentSignature?.Inputs is { } currentInputs)
            {
                comparedWithCurrent = true;
                CompareWithSignature(inputs, currentInputs, problems);
            }
        }

        long loggedRows = 0;
        string note;
        if (monitoringDirectory is null)
        {
            note = "no inference log is configured";
        }
        else if (!Directory.Exists(monitoringDirectory))
        {
            note = "the inference log folder does not exist";
        }
        else
        {
            var now = time.GetUtcNow();
            logged ??= await LoggedInputs.ReadAsync(monitoringDirectory, target.Name, now - recent, now, 0, cancellationToken).ConfigureAwait(false);
            loggedRows = logged.RowsInWindow;
            if (logged.Schema.Count == 0)
            {
                note = $"no requests to '{target.Name}' were logged in the last {Describe(recent)}";
            }
            else
            {
                note = string.Empty;
                CompareWithLogs(inputs, logged.Schema, problems);
            }
        }

        problems.Sort(static (a, b) =>
        {
            var byName = string.CompareOrdinal(a.Input, b.Input);
            if (byName != 0)
            {
                return byName;
            }

            var bySource = string.CompareOrdinal(a.Source, b.Source);
            return bySource != 0 ? bySource : a.Kind.CompareTo(b.Kind);
        });
        return new InputContractReport(problems, true, comparedWithCurrent, loggedRows, note);
    }

    /// <summary>A window in words: <c>24h</c>, <c>30m</c>, <c>7d</c> (whole days from two days up).</summary>
    internal static string Describe(TimeSpan window) =>
        window.TotalDays > 1 && window.TotalDays == Math.Floor(window.TotalDays) ? string.Create(CultureInfo.InvariantCulture, $"{window.TotalDays}d")
        : window.TotalHours >= 1 && window.TotalHours == Math.Floor(window.TotalHours) ? string.Create(CultureInfo.InvariantCulture, $"{window.TotalHours}h")
        : window.TotalMinutes >= 1 && window.TotalMinutes == Math.Floor(window.TotalMinutes) ? string.Create(CultureInfo.InvariantCulture, $"{window.TotalMinutes}m")
        : string.Create(CultureInfo.InvariantCulture, $"{window.TotalSeconds}s");

    private static void CompareWithSignature(SignatureSchema target, SignatureSchema current, List<ContractProblem> problems)
    {
        const string source = InputContractReport.CurrentSignature;
        if (target.IsTensorBased != current.IsTensorBased)
        {
            problems.Add(new ContractProblem(ContractProblemKind.KindChange, "inputs", Kind(target), Kind(current), source));
            return;
        }

        if (target.Columns is { } columns)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                var column = columns[i];
                if (!column.Required)
                {
                    continue;
                }

                var match = column.Name is null
                    ? (i < current.Columns!.Count && current.Columns[i].Name is null ? current.Columns[i] : null)
                    : current.Columns!.FirstOrDefault(c => c.Name == column.Name);
                var name = column.Name ?? i.ToString(CultureInfo.InvariantCulture);
                if (match is null)
                {
                    problems.Add(new ContractProblem(ContractProblemKind.MissingColumn, name, column.Type.ToMlflowName(), string.Empty, source));
                }
                else if (!SafeConversions.Accepts(column.Type, match.Type))
                {
                    problems.Add(new ContractProblem(ContractProblemKind.TypeChange, name, column.Type.ToMlflowName(), match.Type.ToMlflowName(), source));
                }
            }

            return;
        }

        foreach (var tensor in target.Tensors!)
        {
            var match = tensor.Name is null
                ? (current.Tensors!.Count == 1 ? current.Tensors[0] : null)
                : current.Tensors!.FirstOrDefault(t => t.Name == tensor.Name)
                  ?? (target.Tensors!.Count == 1 && current.Tensors!.Count == 1 && current.Tensors[0].Name is null ? current.Tensors[0] : null);
            var name = tensor.Name ?? "(unnamed tensor)";
            if (!CompareTensorType(tensor, name, match, static m => m.DType, source, problems))
            {
                continue;
            }

            if (!ShapesMatch(tensor.Shape, match.Shape))
            {
                problems.Add(new ContractProblem(ContractProblemKind.ShapeChange, name, Shape(tensor.Shape), Shape(match.Shape), source));
            }
        }
    }

    private static void CompareWithLogs(SignatureSchema target, IReadOnlyList<LoggedInput> logged, List<ContractProblem> problems)
    {
        const string source = InputContractReport.LoggedInputs;
        var byName = logged.ToDictionary(l => l.Name, StringComparer.Ordinal);
        if (target.Columns is { } columns)
        {
            var required = columns.Where(c => c.Required && c.Name is not null).ToArray();
            if (required.Length > 0 && !required.Any(c => byName.ContainsKey(c.Name!)) && logged.Count == 1 && !logged[0].IsScalar)
            {
                problems.Add(new ContractProblem(ContractProblemKind.KindChange, "inputs", Kind(target), $"tensors ({logged[0].Name})", source));
                return;
            }

            // Unnamed columns have no name the log could hold them under: only named ones are compared.
            foreach (var column in required)
            {
                var expected = column.Type.ToMlflowName();
                if (!byName.TryGetValue(column.Name!, out var match))
                {
                    problems.Add(new ContractProblem(ContractProblemKind.MissingColumn, column.Name!, expected, string.Empty, source));
                }
                else if (!SafeConversions.Accepts(SafeConversions.NumpyName(column.Type), match.DType))
                {
                    problems.Add(new ContractProblem(ContractProblemKind.TypeChange, column.Name!, expected, match.DType, source));
                }
                else if (match.PerRowElements != 1)
                {
                    problems.Add(new ContractProblem(ContractProblemKind.ShapeChange, column.Name!, "[-1]", match.Shape, source));
                }
            }

            return;
        }

        var tensors = target.Tensors!;
        if (!tensors.Any(t => t.Name is not null && byName.ContainsKey(t.Name)) && logged.Count > 1 && logged.All(l => l.IsScalar)
            && !(tensors.Count == 1 && tensors[0].Name is null))
        {
            problems.Add(new ContractProblem(ContractProblemKind.KindChange, "inputs", Kind(target), $"columns ({string.Join(", ", logged.Select(l => l.Name))})", source));
            return;
        }

        foreach (var tensor in tensors)
        {
            var match = tensor.Name is not null && byName.TryGetValue(tensor.Name, out var named) ? named
                : tensors.Count == 1 && logged.Count == 1 ? logged[0]
                : null;
            var name = tensor.Name ?? "(unnamed tensor)";
            if (!CompareTensorType(tensor, name, match, static m => m.DType, source, problems))
            {
                continue;
            }

            var perRow = PerRow(tensor.Shape);
            if (perRow >= 0 && match.PerRowElements >= 0 && perRow != match.PerRowElements)
            {
                problems.Add(new ContractProblem(ContractProblemKind.ShapeChange, name, Shape(tensor.Shape), match.Shape, source));
            }
        }
    }

    /// <summary>
    /// Adds a missing-input problem when nothing matched <paramref name="tensor"/> (<paramref name="match"/> is null),
    /// else a type-change one when the match's dtype does not convert safely; returns whether it matched.
    /// </summary>
    private static bool CompareTensorType<T>(TensorSpec tensor, string name, [NotNullWhen(true)] T? match, Func<T, string> dtype, string source, List<ContractProblem> problems)
        where T : class
    {
        if (match is null)
        {
            problems.Add(new ContractProblem(ContractProblemKind.MissingColumn, name, Describe(tensor), string.Empty, source));
            return false;
        }

        var supplied = dtype(match);
        if (!SafeConversions.Accepts(tensor.DType, supplied))
        {
            problems.Add(new ContractProblem(ContractProblemKind.TypeChange, name, tensor.DType, supplied, source));
        }

        return true;
    }

    /// <summary>Rank equal and every dimension equal where both are fixed.</summary>
    private static bool ShapesMatch(IReadOnlyList<long> required, IReadOnlyList<long> supplied)
    {
        if (required.Count != supplied.Count)
        {
            return false;
        }

        for (var i = 0; i < required.Count; i++)
        {
            if (required[i] != -1 && supplied[i] != -1 && required[i] != supplied[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Values per row of a batch tensor (product of the dimensions after the first); -1 when one is variable.</summary>
    private static long PerRow(IReadOnlyList<long> shape)
    {
        long count = 1;
        for (var i = 1; i < shape.Count; i++)
        {
            if (shape[i] < 0)
            {
                return -1;
            }

            count *= shape[i];
        }

        return count;
    }

    private static string Shape(IReadOnlyList<long> shape) => "[" + string.Join(", ", shape) + "]";

    private static string Describe(TensorSpec tensor) => $"{tensor.DType} {Shape(tensor.Shape)}";

    private static string Kind(SignatureSchema schema) => schema.IsTensorBased
        ? $"tensors ({string.Join(", ", schema.Tensors!.Select(t => t.Name ?? "unnamed"))})"
        : $"columns ({string.Join(", ", schema.Columns!.Select(c => c.Name ?? "unnamed"))})";
}

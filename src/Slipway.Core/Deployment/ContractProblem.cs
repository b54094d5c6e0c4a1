namespace Slipway.Core.Deployment;

/// <summary>
/// One way a model's input contract does not accept what callers send today: found when a rollback target or a
/// promotion candidate is compared with the current signature and with recently logged inputs.
/// </summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="Input">The input column or tensor concerned.</param>
/// <param name="Expected">What the checked model requires (e.g. <c>double</c>, <c>[-1, 4]</c>); empty when not applicable.</param>
/// <param name="Actual">What the current contract or the logged inputs have; empty when not applicable.</param>
/// <param name="Source">Where the mismatch was seen: <c>current signature</c> or <c>logged inputs</c>.</param>
public sealed record ContractProblem(ContractProblemKind Kind, string Input, string Expected, string Actual, string Source)
{
    /// <summary>One line for people, e.g. <c>missing column 'age': the model requires double; absent from the current signature</c>.</summary>
    public override string ToString() => Kind switch
    {
        ContractProblemKind.MissingColumn => $"missing column '{Input}': the model requires {Expected}; absent from the {Source}",
        ContractProblemKind.TypeChange => $"type change on '{Input}': the model requires {Expected}; the {Source} give {Actual}",
        ContractProblemKind.ShapeChange => $"shape change on '{Input}': the model requires {Expected}; the {Source} give {Actual}",
        ContractProblemKind.KindChange => $"'{Input}': the model takes {Expected}; the {Source} give {Actual}",
        _ => $"'{Input}': {Expected} vs {Actual} ({Source})",
    };
}

/// <summary>Kinds of input-contract incompatibility.</summary>
public enum ContractProblemKind
{
    /// <summary>The model requires an input the callers do not send.</summary>
    MissingColumn,

    /// <summary>An input's type differs and cannot be converted safely (e.g. string where a number is required).</summary>
    TypeChange,

    /// <summary>A tensor's shape differs in a fixed dimension or its rank.</summary>
    ShapeChange,

    /// <summary>One side is a table (columns), the other tensors.</summary>
    KindChange,
}

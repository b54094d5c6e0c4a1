using Slipway.Core.Deployment;

namespace Slipway.Deploy.Contracts;

/// <summary>What an input-contract check compared and found.</summary>
/// <param name="Problems">The problems, ordered by input name, then source (<c>current signature</c> before <c>logged inputs</c>), then kind.</param>
/// <param name="TargetHasSignature">Whether the checked version declares its inputs; without a signature nothing can be checked.</param>
/// <param name="ComparedWithCurrent">Whether the current version's signature was compared (false: no current version, or it has no input signature).</param>
/// <param name="LoggedRows">Rows logged in the window that the logged inputs came from (0 when none were compared).</param>
/// <param name="LoggedNote">Why logged inputs were not compared (no inference log, nothing logged in the window); empty when they were.</param>
public sealed record InputContractReport(
    IReadOnlyList<ContractProblem> Problems,
    bool TargetHasSignature,
    bool ComparedWithCurrent,
    long LoggedRows,
    string LoggedNote)
{
    /// <summary>The source name of problems found against the current version's signature.</summary>
    public const string CurrentSignature = "current signature";

    /// <summary>The source name of problems found against recently logged inputs.</summary>
    public const string LoggedInputs = "logged inputs";

    /// <summary>Whether logged inputs were compared.</summary>
    public bool ComparedWithLogs => LoggedNote.Length == 0;
}

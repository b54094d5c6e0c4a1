namespace Slipway.Mlflow.Contracts;

/// <summary>
/// A page of model versions (also the answer of get-latest-versions, without a token); both fields are omitted when
/// empty, as MLflow does.
/// </summary>
public sealed class SearchModelVersionsResponse
{
    /// <summary>The versions on this page.</summary>
    public IReadOnlyList<ModelVersionMessage>? ModelVersions { get; set; }

    /// <summary>Token of the next page; omitted on the last page.</summary>
    public string? NextPageToken { get; set; }
}

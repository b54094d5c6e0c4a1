namespace Slipway.Mlflow.Contracts;

/// <summary>A page of registered models; both fields are omitted when empty, as MLflow does.</summary>
public sealed class SearchRegisteredModelsResponse
{
    /// <summary>The models on this page.</summary>
    public IReadOnlyList<RegisteredModelMessage>? RegisteredModels { get; set; }

    /// <summary>Token of the next page; omitted on the last page.</summary>
    public string? NextPageToken { get; set; }
}

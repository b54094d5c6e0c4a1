namespace Slipway.Mlflow.Contracts.Tracking;

/// <summary>MLflow's <c>DatasetInput</c> message: input tags (MLflow's <c>InputTag</c>, omitted when none) and the dataset.</summary>
public sealed class DatasetInputMessage
{
    /// <summary>Input tags such as <c>mlflow.data.context</c>.</summary>
    public IReadOnlyList<TagMessage>? Tags { get; set; }

    /// <summary>The dataset.</summary>
    public DatasetMessage? Dataset { get; set; }
}

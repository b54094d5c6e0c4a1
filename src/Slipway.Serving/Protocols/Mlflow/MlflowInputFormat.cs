namespace Slipway.Serving.Protocols.Mlflow;

/// <summary>How an MLflow scoring request carried its data.</summary>
public enum MlflowInputFormat
{
    /// <summary>JSON <c>{"dataframe_split": {"columns": [...], "data": [[...]]}}</c>.</summary>
    DataframeSplit,

    /// <summary>JSON <c>{"dataframe_records": [{"col": value, ...}, ...]}</c>.</summary>
    DataframeRecords,

    /// <summary>JSON <c>{"instances": ...}</c> (TF-serving row format).</summary>
    Instances,

    /// <summary>JSON <c>{"inputs": ...}</c> (TF-serving column format).</summary>
    Inputs,

    /// <summary><c>text/csv</c>: a header row and one row per record.</summary>
    Csv,
}

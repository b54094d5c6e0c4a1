using Parquet.Schema;
using Slipway.Monitoring.InferenceLog;

namespace Slipway.Monitoring.Feedback;

/// <summary>
/// The feedback log's columns: <c>request_id</c>, <c>timestamp</c> (UTC, microseconds), <c>model</c>, <c>version</c>,
/// <c>row</c>, <c>actual</c> and <c>predicted</c> (text for classification, double for regression), and <c>correct</c>
/// (classification) or <c>absolute_error</c> (regression).
/// </summary>
internal sealed class FeedbackLogLayout : IParquetLayout
{
    private readonly StringLogColumn _requestId = new(new DataField("request_id", typeof(string), isNullable: false));
    private readonly ValueLogColumn<DateTime> _timestamp = new(new DateTimeDataField("timestamp", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: false));
    private readonly StringLogColumn _model = new(new DataField("model", typeof(string), isNullable: false));
    private readonly StringLogColumn _version = new(new DataField("version", typeof(string), isNullable: false));
    private readonly ValueLogColumn<int> _row = new(new DataField("row", typeof(int), isNullable: false));
    private readonly StringLogColumn? _actualText;
    private readonly StringLogColumn? _predictedText;
    private readonly ValueLogColumn<bool>? _correct;
    private readonly ValueLogColumn<double>? _actualNumber;
    private readonly ValueLogColumn<double>? _predictedNumber;
    private readonly ValueLogColumn<double>? _absoluteError;

    public FeedbackLogLayout(FeedbackTask task)
    {
        Task = task;
        var columns = new List<LogColumn> { _requestId, _timestamp, _model, _version, _row };
        if (task == FeedbackTask.Classification)
        {
            _actualText = new StringLogColumn(new DataField("actual", typeof(string), isNullable: true));
            _predictedText = new StringLogColumn(new DataField("predicted", typeof(string), isNullable: true));
            _correct = new ValueLogColumn<bool>(new DataField("correct", typeof(bool), isNullable: false));
            columns.AddRange([_actualText, _predictedText, _correct]);
        }
        else
        {
            _actualNumber = new ValueLogColumn<double>(new DataField("actual", typeof(double), isNullable: false));
            _predictedNumber = new ValueLogColumn<double>(new DataField("predicted", typeof(double), isNullable: false));
            _absoluteError = new ValueLogColumn<double>(new DataField("absolute_error", typeof(double), isNullable: false));
            columns.AddRange([_actualNumber, _predictedNumber, _absoluteError]);
        }

        Columns = columns;
        Schema = new ParquetSchema(columns.Select(c => (Field)c.Field));
    }

    public FeedbackTask Task { get; }

    public ParquetSchema Schema { get; }

    public IReadOnlyList<LogColumn> Columns { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public int BufferedRows => _row.Count;

    public void Append(FeedbackRow row)
    {
        _requestId.Append(row.RequestId);
        _timestamp.Append(row.Timestamp.UtcDateTime);
        _model.Append(row.Model);
        _version.Append(row.Version);
        _row.Append(row.Row);
        if (Task == FeedbackTask.Classification)
        {
            _actualText!.Append(row.Actual.ToString());
            _predictedText!.Append(row.PredictedText);
            _correct!.Append(row.Correct);
        }
        else
        {
            _actualNumber!.Append(row.Actual.Number);
            _predictedNumber!.Append(row.PredictedNumber);
            _absoluteError!.Append(Math.Abs(row.Actual.Number - row.PredictedNumber));
        }
    }
}

namespace Slipway.Serving.Batch;

/// <summary>An input file or model that batch scoring cannot handle; the message names the file, row or column.</summary>
public sealed class BatchScoringException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BatchScoringException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

namespace Slipway.Monitoring.Reference;

/// <summary>
/// Reference or current data that cannot be read: an unknown extension, an empty or unreadable file, a value that is
/// not a number, a column the model needs but the file lacks. The message names the file, and the row and column when
/// there is one, in a form fit to show a user as is.
/// </summary>
public sealed class ReferenceDataException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ReferenceDataException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ReferenceDataException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ReferenceDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

using System.Globalization;
using System.Text.Json;

namespace Slipway.Monitoring.Feedback;

/// <summary>One actual value sent as ground truth: a number (a regression target or a numeric class) or a text label.</summary>
public readonly record struct FeedbackValue
{
    private FeedbackValue(double number, string? text)
    {
        Number = number;
        Text = text;
    }

    /// <summary>The number; NaN when the value is text.</summary>
    public double Number { get; }

    /// <summary>The text label, or null when the value is a number.</summary>
    public string? Text { get; }

    /// <summary>Whether the value is a number.</summary>
    public bool IsNumber => Text is null;

    /// <summary>A numeric actual.</summary>
    public static FeedbackValue FromNumber(double value) => new(value, null);

    /// <summary>A text actual (a class label).</summary>
    public static FeedbackValue FromText(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new FeedbackValue(double.NaN, value);
    }

    /// <summary>
    /// Reads a JSON number, string or boolean (true = 1, false = 0); false for anything else (null, objects, arrays).
    /// </summary>
    public static bool TryFromJson(JsonElement element, out FeedbackValue value)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Number:
                value = FromNumber(element.GetDouble());
                return true;
            case JsonValueKind.String:
                value = FromText(element.GetString()!);
                return true;
            case JsonValueKind.True:
                value = FromNumber(1);
                return true;
            case JsonValueKind.False:
                value = FromNumber(0);
                return true;
            default:
                value = default;
                return false;
        }
    }

    /// <inheritdoc />
    public override string ToString() => Text ?? Number.ToString("R", CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Text;

namespace Slipway.Core.Signatures;

/// <summary>Writes JSON text the way Python's <c>json.dumps</c> does with its defaults (ensure_ascii on).</summary>
internal static class PythonJson
{
    /// <summary>Appends <paramref name="value"/> as a quoted JSON string, escaping everything outside printable ASCII.</summary>
    public static void AppendString(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                default:
                    // Python escapes anything outside ' '..'~' as \uXXXX with lower-case hex; UTF-16 units
                    // map one to one onto its surrogate-pair escapes.
                    if (c < ' ' || c > '~')
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        text.Append('"');
    }
}

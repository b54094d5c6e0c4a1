using System.Globalization;
using System.Text;

namespace Slipway.Deploy.Gates;

/// <summary>
/// A metric gate's condition, <c>LEFT OP RIGHT</c>: OP is one of <c>&gt;= &gt; &lt;= &lt; == !=</c>, each side an
/// arithmetic expression (<c>+ - * /</c>, parentheses, numbers) over metric references. A reference is
/// <c>NAME</c> or <c>candidate.NAME</c> (the candidate's metric), <c>current.NAME</c> or <c>ALIAS.NAME</c> (the metric of
/// the version the alias points to now, e.g. <c>champion.auc</c>); any other dotted name is a metric of the candidate
/// named as written (<c>val.auc</c>). Names start with a letter or <c>_</c> and go on with letters, digits, <c>_ . -</c>:
/// write spaces around a minus that subtracts (<c>auc - 0.01</c>; <c>auc-0.01</c> would be one name).
/// </summary>
public sealed class MetricExpression
{
    private MetricExpression(string text, Node left, string op, Node right, IReadOnlyList<MetricReference> references)
    {
        Text = text;
        Left = left;
        Operator = op;
        Right = right;
        References = references;
    }

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    /// <summary>The comparison: <c>&gt;=</c>, <c>&gt;</c>, <c>&lt;=</c>, <c>&lt;</c>, <c>==</c> or <c>!=</c>.</summary>
    public string Operator { get; }

    /// <summary>Every reference, in the order written (repeats kept once).</summary>
    public IReadOnlyList<MetricReference> References { get; }

    private Node Left { get; }

    private Node Right { get; }

    /// <summary>Parses an expression.</summary>
    /// <exception cref="FormatException">The text is not an expression; the message says where and why.</exception>
    public static MetricExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new Parser(text);
        var left = parser.ParseSum();
        var op = parser.ParseOperator();
        var right = parser.ParseSum();
        parser.ExpectEnd();
        var references = new List<MetricReference>();
        left.Collect(references);
        right.Collect(references);
        return new MetricExpression(text.Trim(), left, op, right, references.Distinct().ToArray());
    }

    /// <summary>
    /// Evaluates the condition with the references' values. Non-strict comparisons (<c>&gt;= &lt;= ==</c>, and
    /// <c>!=</c>) allow a relative tolerance of 1e-9 so that <c>0.862 &gt;= 0.872 - 0.01</c> holds despite binary
    /// rounding; <c>&gt;</c> and <c>&lt;</c> are exact.
    /// </summary>
    /// <param name="value">The value of each reference (every one in <see cref="References"/>).</param>
    /// <returns>Whether it holds, both sides' values, and the condition with the values substituted, for details.</returns>
    public MetricEvaluation Evaluate(Func<MetricReference, double> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var left = Left.Evaluate(value);
        var right = Right.Evaluate(value);
        var tolerance = 1e-9 * Math.Max(1, Math.Max(Math.Abs(left), Math.Abs(right)));
        var holds = Operator switch
        {
            ">=" => left >= right - tolerance,
            ">" => left > right,
            "<=" => left <= right + tolerance,
            "<" => left < right,
            "==" => Math.Abs(left - right) <= tolerance,
            _ => Math.Abs(left - right) > tolerance,
        };
        if (double.IsNaN(left) || double.IsNaN(right))
        {
            holds = false;
        }

        var text = new StringBuilder();
        Side(text, Left, left, value);
        text.Append(' ').Append(holds ? Operator : Negation(Operator)).Append(' ');
        Side(text, Right, right, value);
        return new MetricEvaluation(holds, left, right, text.ToString());
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    /// <summary>A number as details show it: up to 6 significant digits, invariant.</summary>
    internal static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private static void Side(StringBuilder text, Node node, double result, Func<MetricReference, double> value)
    {
        node.Write(text, value);
        if (!node.IsValue)
        {
            text.Append(" = ").Append(Format(result));
        }
    }

    private static string Negation(string op) => op switch
    {
        ">=" => "<",
        ">" => "<=",
        "<=" => ">",
        "<" => ">=",
        "==" => "!=",
        _ => "==",
    };

    private abstract class Node
    {
        /// <summary>Whether the node is a number or a reference (possibly negated): details show no "= result" after it.</summary>
        public virtual bool IsValue => false;

        public abstract double Evaluate(Func<MetricReference, double> value);

        public abstract void Write(StringBuilder text, Func<MetricReference, double> value);

        public virtual void Collect(List<MetricReference> references)
        {
        }
    }

    private sealed class Number(double number) : Node
    {
        public override bool IsValue => true;

        public override double Evaluate(Func<MetricReference, double> value) => number;

        public override void Write(StringBuilder text, Func<MetricReference, double> value) => text.Append(Format(number));
    }

    private sealed class Reference(MetricReference reference) : Node
    {
        public override bool IsValue => true;

        public override double Evaluate(Func<MetricReference, double> value) => value(reference);

        public override void Write(StringBuilder text, Func<MetricReference, double> value) => text.Append(Format(value(reference)));

        public override void Collect(List<MetricReference> references) => references.Add(reference);
    }

    private sealed class Negate(Node operand) : Node
    {
        public override bool IsValue => operand.IsValue;

        public override double Evaluate(Func<MetricReference, double> value) => -operand.Evaluate(value);

        public override void Write(StringBuilder text, Func<MetricReference, double> value)
        {
            text.Append('-');
            operand.Write(text, value);
        }

        public override void Collect(List<MetricReference> references) => operand.Collect(references);
    }

    private sealed class Group(Node inner) : Node
    {
        public override double Evaluate(Func<MetricReference, double> value) => inner.Evaluate(value);

        public override void Write(StringBuilder text, Func<MetricReference, double> value)
        {
            text.Append('(');
            inner.Write(text, value);
            text.Append(')');
        }

        public override void Collect(List<MetricReference> references) => inner.Collect(references);
    }

    private sealed class Binary(Node left, char op, Node right) : Node
    {
        public override double Evaluate(Func<MetricReference, double> value)
        {
            var a = left.Evaluate(value);
            var b = right.Evaluate(value);
            return op switch
            {
                '+' => a + b,
                '-' => a - b,
                '*' => a * b,
                _ => a / b,
            };
        }

        public override void Write(StringBuilder text, Func<MetricReference, double> value)
        {
            left.Write(text, value);
            text.Append(' ').Append(op).Append(' ');
            right.Write(text, value);
        }

        public override void Collect(List<MetricReference> references)
        {
            left.Collect(references);
            right.Collect(references);
        }
    }

    /// <summary>Recursive descent: sum := product (('+'|'-') product)*; product := unary (('*'|'/') unary)*.</summary>
    private sealed class Parser(string text)
    {
        private int _at;

        public Node ParseSum()
        {
            var node = ParseProduct();
            while (Peek() is '+' or '-')
            {
                var op = text[_at++];
                node = new Binary(node, op, ParseProduct());
            }

            return node;
        }

        public string ParseOperator()
        {
            SkipSpaces();
            foreach (var op in (string[])[">=", "<=", "==", "!=", ">", "<"])
            {
                if (string.CompareOrdinal(text, _at, op, 0, op.Length) == 0)
                {
                    _at += op.Length;
                    return op;
                }
            }

            throw Error(_at >= text.Length ? "expected a comparison (>=, >, <=, <, ==, !=) but the expression ends" : $"expected a comparison (>=, >, <=, <, ==, !=) at '{Rest()}'");
        }

        public void ExpectEnd()
        {
            SkipSpaces();
            if (_at < text.Length)
            {
                throw Error($"unexpected '{Rest()}' after the expression");
            }
        }

        private Node ParseProduct()
        {
            var node = ParseUnary();
            while (Peek() is '*' or '/')
            {
                var op = text[_at++];
                node = new Binary(node, op, ParseUnary());
            }

            return node;
        }

        private Node ParseUnary()
        {
            var c = Peek();
            if (c == '-')
            {
                _at++;
                return new Negate(ParseUnary());
            }

            if (c == '+')
            {
                _at++;
                return ParseUnary();
            }

            if (c == '(')
            {
                _at++;
                var inner = ParseSum();
                if (Peek() != ')')
                {
                    throw Error(_at >= text.Length ? "missing ')'" : $"expected ')' at '{Rest()}'");
                }

                _at++;
                return new Group(inner);
            }

            if (c is >= '0' and <= '9' or '.')
            {
                return ParseNumber();
            }

            if (c is { } letter && (char.IsAsciiLetter(letter) || letter == '_'))
            {
                var start = _at;
                while (_at < text.Length && (char.IsAsciiLetterOrDigit(text[_at]) || text[_at] is '_' or '.' or '-'))
                {
                    _at++;
                }

                var name = text[start.._at];
                if (name.EndsWith('.') || name.EndsWith('-'))
                {
                    throw Error($"metric reference '{name}' cannot end with '{name[^1]}'");
                }

                return new Reference(MetricReference.Parse(name));
            }

            throw Error(_at >= text.Length ? "expected a number or a metric name but the expression ends" : $"expected a number or a metric name at '{Rest()}'");
        }

        private Number ParseNumber()
        {
            var start = _at;
            while (_at < text.Length && (char.IsAsciiDigit(text[_at]) || text[_at] == '.'))
            {
                _at++;
            }

            // An exponent: 1e-3, 2.5E+2.
            if (_at < text.Length && text[_at] is 'e' or 'E')
            {
                var mark = _at++;
                if (_at < text.Length && text[_at] is '+' or '-')
                {
                    _at++;
                }

                if (_at < text.Length && char.IsAsciiDigit(text[_at]))
                {
                    while (_at < text.Length && char.IsAsciiDigit(text[_at]))
                    {
                        _at++;
                    }
                }
                else
                {
                    _at = mark;
                }
            }

            var literal = text[start.._at];
            if (!double.TryParse(literal, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number))
            {
                throw Error($"'{literal}' is not a number");
            }

            if (_at < text.Length && (char.IsAsciiLetter(text[_at]) || text[_at] == '_'))
            {
                throw Error($"'{literal}{text[_at]}' is neither a number nor a metric name (names start with a letter or '_')");
            }

            return new Number(number);
        }

        private char? Peek()
        {
            SkipSpaces();
            return _at < text.Length ? text[_at] : null;
        }

        private void SkipSpaces()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at]))
            {
                _at++;
            }
        }

        private string Rest() => text[_at..];

        private FormatException Error(string message) =>
            new(string.IsNullOrWhiteSpace(text) ? "the expression is empty; expected LEFT OP RIGHT, e.g. 'auc >= champion.auc - 0.01'" : message);
    }
}

using System.Globalization;
using System.Text;

namespace Trading.Workflow.Engine.Expressions;

internal enum TokenKind
{
    End,
    Number,
    String,
    Name,
    QuotedName,
    Punct,
    At,
}

internal readonly record struct Token(TokenKind Kind, string Text, int Position, decimal Number = 0)
{
    public bool Is(string punct) => Kind == TokenKind.Punct && Text == punct;

    public bool IsWord(string word) => Kind == TokenKind.Name && Text == word;
}

/// <summary>Splits expression text (a range of it, so positions stay those of the whole text) into tokens.</summary>
internal static class Lexer
{
    private static readonly string[] Puncts =
    [
        "**", "..", "==", "!=", "<=", ">=", "&&", "||",
        "+", "-", "*", "/", "%", "(", ")", "[", "]", "{", "}", ",", ".", ":", "?", "=", "<", ">", "!",
    ];

    public static List<Token> Tokenize(string text, int start, int end)
    {
        var tokens = new List<Token>();
        var i = start;
        while (true)
        {
            while (i < end && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= end)
            {
                tokens.Add(new Token(TokenKind.End, "", end));
                return tokens;
            }

            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                tokens.Add(ReadNumber(text, ref i, end));
            }
            else if (c is '"' or '\'')
            {
                tokens.Add(ReadString(text, ref i, end));
            }
            else if (c == '`')
            {
                var close = text.IndexOf('`', i + 1, end - i - 1);
                if (close < 0)
                {
                    throw ExpressionException.At(ExpressionErrorCode.Syntax, i, "反引号名称没有结束", "the backtick name is not closed");
                }

                tokens.Add(new Token(TokenKind.QuotedName, text[(i + 1)..close], i));
                i = close + 1;
            }
            else if (IsNameStart(c))
            {
                var s = i;
                while (i < end && IsNamePart(text[i]))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Name, text[s..i], s));
            }
            else if (c == '@')
            {
                tokens.Add(new Token(TokenKind.At, "@", i));
                i++;
            }
            else
            {
                var matched = false;
                foreach (var p in Puncts)
                {
                    if (i + p.Length <= end && string.CompareOrdinal(text, i, p, 0, p.Length) == 0)
                    {
                        tokens.Add(new Token(TokenKind.Punct, p, i));
                        i += p.Length;
                        matched = true;
                        break;
                    }
                }

                if (!matched)
                {
                    throw ExpressionException.At(ExpressionErrorCode.Syntax, i, $"无法识别的字符 '{c}'", $"unexpected character '{c}'");
                }
            }
        }
    }

    private static bool IsNameStart(char c) => char.IsLetter(c) || c is '_' or '$';

    private static bool IsNamePart(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';

    private static Token ReadNumber(string text, ref int i, int end)
    {
        var s = i;
        while (i < end && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        if (i + 1 < end && text[i] == '.' && char.IsAsciiDigit(text[i + 1]))
        {
            i++;
            while (i < end && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }

        if (i < end && text[i] is 'e' or 'E')
        {
            var j = i + 1;
            if (j < end && text[j] is '+' or '-')
            {
                j++;
            }

            if (j < end && char.IsAsciiDigit(text[j]))
            {
                i = j;
                while (i < end && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }
            }
        }

        if (!decimal.TryParse(text.AsSpan(s, i - s), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw ExpressionException.At(ExpressionErrorCode.Syntax, s, "数字超出范围", "the number is out of range");
        }

        return new Token(TokenKind.Number, text[s..i], s, value);
    }

    private static Token ReadString(string text, ref int i, int end)
    {
        var quote = text[i];
        var s = i;
        i++;
        StringBuilder? sb = null;
        var runStart = i;
        while (i < end)
        {
            var c = text[i];
            if (c == quote)
            {
                var value = sb is null ? text[runStart..i] : sb.Append(text, runStart, i - runStart).ToString();
                i++;
                return new Token(TokenKind.String, value, s);
            }

            if (c == '\\')
            {
                sb ??= new StringBuilder();
                sb.Append(text, runStart, i - runStart);
                if (i + 1 >= end)
                {
                    break;
                }

                var e = text[i + 1];
                i += 2;
                switch (e)
                {
                    case 'n': sb.Append('\n'); break;
                    case 't': sb.Append('\t'); break;
                    case 'r': sb.Append('\r'); break;
                    case 'u' when i + 4 <= end && int.TryParse(text.AsSpan(i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code):
                        sb.Append((char)code);
                        i += 4;
                        break;
                    case '\\' or '"' or '\'': sb.Append(e); break;
                    default:
                        // Unknown escapes stay as written, so regular expressions like "\d+" read naturally.
                        sb.Append('\\').Append(e);
                        break;
                }

                runStart = i;
                continue;
            }

            i++;
        }

        throw ExpressionException.At(ExpressionErrorCode.Syntax, s, "字符串没有结束引号", "the string is not closed");
    }
}

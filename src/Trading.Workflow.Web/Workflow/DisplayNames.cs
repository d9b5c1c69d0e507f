using System.Text;
using System.Xml.Linq;
using Trading.Workflow.Engine.Expressions;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Web.Workflow;

/// <summary>
/// The names of a procedure's elements as people read them: the task page's title, the diagram's labels, the history,
/// the inbox, the instance viewer's tasks and timers. A name may hold <c>${...}</c> parts (审核出让公告：${projectCode});
/// each part is evaluated against the instance's variables and formatted as the engine formats a task's name. A part
/// that cannot be evaluated (its variable is not set, not readable by this user, or the page has no variables) is left
/// out together with the separator that led to it (审核出让公告), never shown as the raw expression.
/// </summary>
public static class DisplayNames
{
    // Separators a name puts before a part (审核：${code}, 审核 - ${code}, 审核（${code}）); they go with the part left out.
    private const string Separators = "：:，,、;；-—–·/|";

    private static readonly (char Open, char Close)[] Brackets = [('（', '）'), ('(', ')'), ('【', '】'), ('[', ']'), ('《', '》')];

    /// <summary>True when the text holds a <c>${...}</c> or <c>#{...}</c> part.</summary>
    public static bool HasExpression(string? text) =>
        text is not null && (text.Contains("${", StringComparison.Ordinal) || text.Contains("#{", StringComparison.Ordinal));

    /// <summary>The text with its <c>${...}</c> parts evaluated; null stays null, plain text is returned as it is.</summary>
    /// <param name="variables">The instance's variables as this user may read them; null or empty leaves every part out.</param>
    public static string? Render(string? text, IReadOnlyDictionary<string, object?>? variables)
    {
        if (text is null || !HasExpression(text))
        {
            return text;
        }

        var scope = variables is null ? DictionaryVariableScope.Empty : new DictionaryVariableScope(variables);
        var result = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var open = NextOpen(text, i);
            if (open < 0)
            {
                result.Append(text, i, text.Length - i);
                break;
            }

            // \${ is a literal ${, as in EL and in the engine's templates.
            if (open > 0 && text[open - 1] == '\\')
            {
                result.Append(text, i, open - 1 - i).Append(text, open, 2);
                i = open + 2;
                continue;
            }

            result.Append(text, i, open - i);
            var close = ExpressionEngine.ClosingBrace(text, open);
            if (close < 0)
            {
                LeaveOut(result, text, text.Length);
                break;
            }

            if (Evaluate(text[open..(close + 1)], scope) is { } value)
            {
                result.Append(value);
                i = close + 1;
            }
            else
            {
                i = LeaveOut(result, text, close + 1);
            }
        }

        return result.ToString().Trim().TrimEnd(Separators.ToCharArray()).TrimEnd();
    }

    /// <summary>Element id → its name, rendered, in a deployed definition; elements without a name are not listed.</summary>
    public static Dictionary<string, string> Of(string? xml, IReadOnlyDictionary<string, object?>? variables)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var element in Elements(xml))
        {
            if ((string?)element.Attribute("id") is { Length: > 0 } id
                && Render(((string?)element.Attribute("name"))?.Trim(), variables) is { Length: > 0 } name)
            {
                names.TryAdd(id, name);
            }
        }

        return names;
    }

    /// <summary>
    /// The definition for the diagram viewer with every name that holds an expression rendered, so its labels read as the
    /// task names do; a definition without such names comes back as it is.
    /// </summary>
    public static string? Diagram(string? xml, IReadOnlyDictionary<string, object?>? variables)
    {
        if (xml is null || !HasExpression(xml))
        {
            return xml;
        }

        XDocument document;
        try
        {
            document = BpmnParser.LoadXml(xml);
        }
        catch (BpmnParseException)
        {
            return xml;
        }

        foreach (var name in document.Descendants().Select(e => e.Attribute("name")).OfType<XAttribute>().Where(a => HasExpression(a.Value)))
        {
            name.Value = Render(name.Value, variables) ?? string.Empty;
        }

        return document.ToString(SaveOptions.DisableFormatting);
    }

    private static IEnumerable<XElement> Elements(string? xml)
    {
        if (xml is null)
        {
            return [];
        }

        try
        {
            return BpmnParser.LoadXml(xml).Descendants().ToList();
        }
        catch (BpmnParseException)
        {
            // A stored definition was parsed when it was deployed; should one be unreadable, ids stay the names.
            return [];
        }
    }

    private static string? Evaluate(string expression, IVariableScope scope)
    {
        try
        {
            var value = ExpressionEngine.Default.Compile(expression).Evaluate(scope, EvaluationContext.Default);
            return value is null ? null : VariableValues.Format(value) is { Length: > 0 } text ? text : null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A missing variable, a wrong property, a name that does not parse: the part is left out (the engine logged
            // why when it created the task).
            return null;
        }
    }

    // Leaves a part out: the separator before it goes too, and brackets that held only the part.
    private static int LeaveOut(StringBuilder result, string text, int after)
    {
        foreach (var (open, close) in Brackets)
        {
            var end = after;
            while (end < text.Length && char.IsWhiteSpace(text[end]))
            {
                end++;
            }

            if (end < text.Length && text[end] == close && TrimEnd(result) is var length && length > 0 && result[length - 1] == open)
            {
                result.Length = length - 1;
                return end + 1;
            }
        }

        var trimmed = TrimEnd(result);
        while (trimmed > 0 && (Separators.Contains(result[trimmed - 1], StringComparison.Ordinal) || char.IsWhiteSpace(result[trimmed - 1])))
        {
            trimmed--;
        }

        // A part at the start of the name takes the separator after it instead (${code}：审核 → 审核).
        if (trimmed == 0)
        {
            while (after < text.Length && (Separators.Contains(text[after], StringComparison.Ordinal) || char.IsWhiteSpace(text[after])))
            {
                after++;
            }
        }
        else if (trimmed < result.Length && after < text.Length && !Separators.Contains(text[after], StringComparison.Ordinal))
        {
            // A part between two words keeps one space between them (A ${x} B → A B).
            while (after < text.Length && char.IsWhiteSpace(text[after]))
            {
                after++;
            }

            result.Length = trimmed;
            result.Append(' ');
            return after;
        }

        result.Length = trimmed;
        return after;
    }

    private static int TrimEnd(StringBuilder text)
    {
        var length = text.Length;
        while (length > 0 && char.IsWhiteSpace(text[length - 1]))
        {
            length--;
        }

        return length;
    }

    private static int NextOpen(string text, int from)
    {
        for (var i = from; i < text.Length - 1; i++)
        {
            if ((text[i] == '$' || text[i] == '#') && text[i + 1] == '{')
            {
                return i;
            }
        }

        return -1;
    }
}

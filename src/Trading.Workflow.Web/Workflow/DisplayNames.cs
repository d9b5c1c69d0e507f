using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Trading.Workflow.Engine.Expressions;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Web.Workflow;

/// <summary>
/// The names of a procedure's elements as people read them: the task page's title, the diagram's labels, the history,
/// the inbox, the instance viewer's tasks and timers. A name may hold <c>${...}</c> parts (审核出让公告：${projectCode});
/// each part is evaluated against the instance's variables and formatted as the engine formats a task's name. A part
/// that cannot be evaluated (its variable is not set, not readable by this user, or the page has no variables) is left
/// out together with the separator that led to it (审核出让公告), never shown as the raw expression.
/// Readers of English see an element's English name (<c>tw:nameEn</c>) where it has one, its <c>name</c> otherwise:
/// <see cref="Choose"/> is the one place that picks.
/// </summary>
public static class DisplayNames
{
    /// <summary>The English name's attribute, <c>tw:nameEn</c> (Model/EXTENSIONS.md of the engine).</summary>
    public static readonly XName NameEn = XNamespace.Get(BpmnNamespaces.TradingWorkflow) + "nameEn";

    /// <summary>The English documentation's attribute, <c>tw:documentationEn</c> (Model/EXTENSIONS.md of the engine).</summary>
    public static readonly XName DocumentationEn = XNamespace.Get(BpmnNamespaces.TradingWorkflow) + "documentationEn";

    /// <summary>True when the current UI culture is English.</summary>
    public static bool English => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    /// <summary>The name for the current UI culture: the English name when the culture is English and there is one, else the name.</summary>
    public static string? Choose(string? name, string? nameEn) =>
        English && !string.IsNullOrWhiteSpace(nameEn) ? nameEn.Trim() : name;

    /// <summary>
    /// A task's name for the current UI culture. <paramref name="stored"/> is the name the engine gave the task (its
    /// element's <paramref name="name"/> with the ${...} parts it could fill filled); in English, with an English name,
    /// that English name comes back with each part the stored name filled in taken from it (审核：${projectCode} stored
    /// as 审核：E-001 gives Review: E-001 for Review: ${projectCode}); other parts stay for <see cref="Render"/>.
    /// Otherwise the stored name comes back as it is. A task's documentation is picked the same way.
    /// </summary>
    public static string? TaskName(string? stored, string? name, string? nameEn)
    {
        if (!English || string.IsNullOrWhiteSpace(nameEn))
        {
            return stored;
        }

        var english = nameEn.Trim();
        if (!HasExpression(english) || stored is null || name is null || !HasExpression(name))
        {
            return english;
        }

        var filled = FilledParts(name.Trim(), stored.Trim());
        if (filled.Count == 0)
        {
            return english;
        }

        var result = new StringBuilder(english.Length);
        var i = 0;
        while (NextOpen(english, i) is var open && open >= 0 && ExpressionEngine.ClosingBrace(english, open) is var close && close >= 0)
        {
            var part = english[open..(close + 1)];
            result.Append(english, i, open - i);
            result.Append((open > 0 && english[open - 1] == '\\') || !filled.TryGetValue(part, out var value) ? part : value);
            i = close + 1;
        }

        return result.Append(english, i, english.Length - i).ToString();
    }

    // The values the stored name holds for the name's ${...} parts: the name's text around the parts must match the
    // stored name exactly; a part whose value itself reads as an expression (not filled) is not taken.
    private static Dictionary<string, string> FilledParts(string name, string stored)
    {
        var parts = new List<string>();
        var pattern = new StringBuilder("^");
        var i = 0;
        while (NextOpen(name, i) is var open && open >= 0 && ExpressionEngine.ClosingBrace(name, open) is var close && close >= 0)
        {
            pattern.Append(Regex.Escape(name[i..open])).Append("(.*?)");
            parts.Add(name[open..(close + 1)]);
            i = close + 1;
        }

        pattern.Append(Regex.Escape(name[i..])).Append('$');
        var filled = new Dictionary<string, string>(StringComparer.Ordinal);
        var match = Regex.Match(stored, pattern.ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        if (!match.Success)
        {
            return filled;
        }

        for (var p = 0; p < parts.Count; p++)
        {
            var value = match.Groups[p + 1].Value;
            if (value.Length > 0 && !HasExpression(value))
            {
                filled.TryAdd(parts[p], value);
            }
        }

        return filled;
    }

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

    /// <summary>Element id → its name for the current UI culture, rendered, in a deployed definition; elements without a name are not listed.</summary>
    public static Dictionary<string, string> Of(string? xml, IReadOnlyDictionary<string, object?>? variables) =>
        DefinitionNames.Read(xml, processId: string.Empty).ElementNames(variables);

    /// <summary>
    /// The definition for the diagram viewer with every name that holds an expression rendered, and in English every
    /// English name in place of its name, so its labels read as the task names do; a definition without such names
    /// comes back as it is.
    /// </summary>
    public static string? Diagram(string? xml, IReadOnlyDictionary<string, object?>? variables)
    {
        var english = English && xml is not null && xml.Contains(BpmnNamespaces.TradingWorkflow, StringComparison.Ordinal);
        if (xml is null || (!HasExpression(xml) && !english))
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

        if (english)
        {
            var widths = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var element in document.Descendants().Where(e => e.Attribute("name") is not null && !string.IsNullOrWhiteSpace((string?)e.Attribute(NameEn))))
            {
                var name = ((string)element.Attribute(NameEn)!).Trim();
                element.SetAttributeValue("name", name);
                if ((string?)element.Attribute("id") is { } id)
                {
                    widths[id] = Math.Min(120, 7 * name.Length);
                }
            }

            WidenLabels(document, widths);
        }

        foreach (var name in document.Descendants().Select(e => e.Attribute("name")).OfType<XAttribute>().Where(a => HasExpression(a.Value)))
        {
            name.Value = Render(name.Value, variables) ?? string.Empty;
        }

        return document.ToString(SaveOptions.DisableFormatting);
    }

    // An external label (an event's, a flow's) was drawn as wide as its Chinese name, two or four characters: the English
    // one would wrap a few letters a line. Its bounds widen to the English text (at most 120), a shape's label about its
    // centre, a flow's from its left edge (it sits beside its line).
    private static void WidenLabels(XDocument document, Dictionary<string, int> widths)
    {
        XNamespace di = "http://www.omg.org/spec/BPMN/20100524/DI";
        XNamespace dc = "http://www.omg.org/spec/DD/20100524/DC";
        foreach (var owner in document.Descendants().Where(e => e.Name == di + "BPMNShape" || e.Name == di + "BPMNEdge"))
        {
            if ((string?)owner.Attribute("bpmnElement") is not { } id || !widths.TryGetValue(id, out var wanted)
                || owner.Element(di + "BPMNLabel")?.Element(dc + "Bounds") is not { } bounds
                || !double.TryParse((string?)bounds.Attribute("width"), NumberStyles.Float, CultureInfo.InvariantCulture, out var width)
                || !double.TryParse((string?)bounds.Attribute("x"), NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
                || width >= wanted)
            {
                continue;
            }

            if (owner.Name == di + "BPMNShape")
            {
                bounds.SetAttributeValue("x", (x - ((wanted - width) / 2)).ToString(CultureInfo.InvariantCulture));
            }

            bounds.SetAttributeValue("width", wanted.ToString(CultureInfo.InvariantCulture));
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

using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Trading.Workflow.Engine.Expressions;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Web.Forms;

namespace Trading.Workflow.Web.Designer;

/// <summary>The kinds of value the dry run's variable form asks for.</summary>
public enum DryRunVariableType
{
    Text,
    Number,
    Boolean,
    Date,
}

/// <summary>
/// A variable the procedure reads: its type, the values it is compared with (offered as choices), the label of the
/// form field that sets it (when a task form does), and the elements whose expressions read it.
/// </summary>
public sealed record DryRunVariable(
    string Name,
    DryRunVariableType Type,
    IReadOnlyList<string> Choices,
    string? LabelZh,
    string? LabelEn,
    IReadOnlyList<string> ReadBy)
{
    public string Label(CultureInfo culture) =>
        (culture.TwoLetterISOLanguageName == "zh" ? LabelZh ?? LabelEn : LabelEn ?? LabelZh) is { } label ? $"{label} ({Name})" : Name;
}

/// <summary>
/// Finds the variables a procedure reads, so a dry run can ask for them: every expression of the process (conditions,
/// names, assignments, timers, inputs...) compiled for its variable names, typed by the task form field of the same key
/// or, failing that, by what the expressions compare it with.
/// </summary>
public static class DryRunVariables
{
    private static readonly XNamespace Bpmn = "http://www.omg.org/spec/BPMN/20100524/MODEL";

    /// <summary>Elements whose text is an expression even without <c>${}</c> (FEEL conditions).</summary>
    private static readonly HashSet<string> ConditionElements = ["conditionExpression", "completionCondition", "loopCardinality", "condition"];

    /// <summary>Names the engine sets itself (multi-instance counters).</summary>
    private static readonly HashSet<string> EngineVariables = ["loopCounter", "nrOfInstances", "nrOfActiveInstances", "nrOfCompletedInstances"];

    /// <exception cref="BpmnParseException">The XML is unsafe, too large, too deep or not well-formed.</exception>
    public static IReadOnlyList<DryRunVariable> Find(string xml, string processId)
    {
        var process = BpmnParser.LoadXml(xml).Root?.Elements(Bpmn + "process").FirstOrDefault(p => (string?)p.Attribute("id") == processId);
        if (process is null)
        {
            return [];
        }

        var forms = BpmnForms.Read(xml, processId);
        var reads = new Dictionary<string, (SortedSet<string> Elements, List<string> Texts)>(StringComparer.Ordinal);
        var local = new HashSet<string>(StringComparer.Ordinal);
        foreach (var element in process.DescendantsAndSelf())
        {
            if (element.Name == BpmnForms.Tw + "form" || element.Name.LocalName == "documentation")
            {
                continue;
            }

            var owner = element.AncestorsAndSelf().FirstOrDefault(e => e.Attribute("id") is not null && e != process);
            var ownerId = (string?)owner?.Attribute("id") ?? processId;
            foreach (var attribute in element.Attributes().Where(a => !a.IsNamespaceDeclaration))
            {
                if (attribute.Name.LocalName == "elementVariable")
                {
                    local.Add(attribute.Value);
                    continue;
                }

                Collect(attribute.Value, attribute.Name.LocalName == "name" ? Kind.Template : Kind.Value, ownerId, reads);
            }

            if (!element.HasElements && !string.IsNullOrWhiteSpace(element.Value))
            {
                Collect(element.Value, ConditionElements.Contains(element.Name.LocalName) ? Kind.Expression : Kind.Value, ownerId, reads);
            }
        }

        var fields = forms.Values
            .SelectMany(json => TryParse(json)?.InputFields ?? [])
            .Where(f => !string.IsNullOrEmpty(f.Key))
            .GroupBy(f => f.Key!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var labels = forms.Values
            .SelectMany(json => TryParse(json)?.Components ?? [])
            .Where(f => !string.IsNullOrEmpty(f.Key) && !string.IsNullOrEmpty(f.Label))
            .GroupBy(f => f.Key!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return reads
            .Where(r => !local.Contains(r.Key) && !EngineVariables.Contains(r.Key))
            .OrderBy(r => r.Key, StringComparer.Ordinal)
            .Select(r =>
            {
                var (type, choices) = fields.TryGetValue(r.Key, out var field) ? FromField(field) : FromUse(r.Key, r.Value.Texts);
                labels.TryGetValue(r.Key, out var labelled);
                return new DryRunVariable(r.Key, type, choices, labelled?.Label, labelled?.LabelEn, r.Value.Elements.ToList());
            })
            .ToList();
    }

    private enum Kind
    {
        Template,
        Value,
        Expression,
    }

    private static void Collect(string text, Kind kind, string elementId, Dictionary<string, (SortedSet<string> Elements, List<string> Texts)> reads)
    {
        if (kind != Kind.Expression && !text.Contains("${", StringComparison.Ordinal) && !text.Contains("#{", StringComparison.Ordinal)
            && !text.TrimStart().StartsWith('='))
        {
            return;
        }

        CompiledExpression compiled;
        try
        {
            compiled = kind switch
            {
                Kind.Template => ExpressionEngine.Default.CompileTemplate(text),
                Kind.Value => ExpressionEngine.Default.CompileValue(text),
                _ => ExpressionEngine.Default.Compile(text),
            };
        }
        catch (ExpressionException)
        {
            // The validator reports unreadable expressions; the form offers what can be read.
            return;
        }

        foreach (var name in compiled.VariableNames)
        {
            if (!reads.TryGetValue(name, out var read))
            {
                read = (new SortedSet<string>(StringComparer.Ordinal), []);
                reads[name] = read;
            }

            read.Elements.Add(elementId);
            read.Texts.Add(text);
        }
    }

    private static (DryRunVariableType, IReadOnlyList<string>) FromField(FormField field) => field.Type switch
    {
        FormFieldTypes.Number or FormFieldTypes.Money => (DryRunVariableType.Number, []),
        FormFieldTypes.Checkbox => (DryRunVariableType.Boolean, []),
        FormFieldTypes.Date or FormFieldTypes.DateTime => (DryRunVariableType.Date, []),
        FormFieldTypes.Select or FormFieldTypes.Radio => (DryRunVariableType.Text, field.Values?.Select(v => v.Value).ToList() ?? []),
        _ => (DryRunVariableType.Text, []),
    };

    /// <summary>Compared with a number: a number; with true or false: a yes/no; with quoted texts: one of those texts.</summary>
    private static (DryRunVariableType, IReadOnlyList<string>) FromUse(string name, IEnumerable<string> texts)
    {
        var choices = new SortedSet<string>(StringComparer.Ordinal);
        var type = DryRunVariableType.Text;
        var pattern = new Regex(
            $@"\b{Regex.Escape(name)}\s*(?:==|!=|<=|>=|<|>|=|\beq\b|\bne\b|\blt\b|\bgt\b|\ble\b|\bge\b)\s*(?:(?<number>-?\d)|(?<boolean>true|false)\b|'(?<text>[^']*)'|""(?<text>[^""]*)"")",
            RegexOptions.CultureInvariant);
        foreach (Match match in texts.SelectMany(t => pattern.Matches(t)))
        {
            if (match.Groups["number"].Success)
            {
                type = DryRunVariableType.Number;
            }
            else if (match.Groups["boolean"].Success)
            {
                type = DryRunVariableType.Boolean;
            }
            else
            {
                choices.Add(match.Groups["text"].Value);
            }
        }

        return type == DryRunVariableType.Text ? (type, choices.ToList()) : (type, []);
    }

    private static FormSchema? TryParse(string json)
    {
        try
        {
            return FormSchemaReader.Parse(json);
        }
        catch (FormSchemaException)
        {
            return null;
        }
    }
}

/// <summary>What the dry-run panel asks to run with: the JSON of the advanced fields and the typed variables of its form.</summary>
public sealed record DryRunInput(string? StartVariablesJson, string? TaskVariablesJson, IReadOnlyDictionary<string, object?> Variables);

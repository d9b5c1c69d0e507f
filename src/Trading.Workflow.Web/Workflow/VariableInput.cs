using System.Globalization;
using System.Text.RegularExpressions;
using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Web.Workflow;

/// <summary>The engine's typed values an administrator can type in.</summary>
public enum VariableInputType
{
    Text,
    Number,
    Boolean,
    Date,
    DateTime,
    Duration,
}

/// <summary>One variable typed by an administrator: a name, a type and the value as text.</summary>
public sealed class VariableInputRow
{
    public string? Name { get; set; }

    public VariableInputType Type { get; set; }

    public string? Value { get; set; }
}

/// <summary>Why a row cannot be read: a key of InstancesResource and its arguments (the name, then the value).</summary>
public sealed record VariableInputProblem(int Row, string ResourceKey, string Name, string? Value);

/// <summary>
/// Reads typed variable rows into the engine's typed values (text, number as decimal, boolean, date, date and time
/// with its offset, ISO 8601 duration), with a problem per row that cannot be read.
/// </summary>
public static partial class VariableInput
{
    private static readonly string[] DateTimeFormats =
        ["yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd HH:mmzzz", "yyyy-MM-dd HH:mm:sszzz"];

    public static (IReadOnlyDictionary<string, object?> Variables, IReadOnlyList<VariableInputProblem> Problems) Read(IReadOnlyList<VariableInputRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal);
        var problems = new List<VariableInputProblem>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var name = row.Name?.Trim() ?? string.Empty;
            if (name.Length == 0)
            {
                problems.Add(new VariableInputProblem(i, "Variables.NameRequired", name, row.Value));
            }
            else if (!NamePattern().IsMatch(name))
            {
                problems.Add(new VariableInputProblem(i, "Variables.NameInvalid", name, row.Value));
            }
            else if (variables.ContainsKey(name))
            {
                problems.Add(new VariableInputProblem(i, "Variables.NameDuplicate", name, row.Value));
            }
            else if (TryParse(row.Type, row.Value, out var value))
            {
                variables[name] = value;
            }
            else
            {
                problems.Add(new VariableInputProblem(i, $"Variables.Invalid.{row.Type}", name, row.Value));
            }
        }

        return (variables, problems);
    }

    public static bool TryParse(VariableInputType type, string? text, out object? value)
    {
        value = null;
        var trimmed = text?.Trim() ?? string.Empty;
        switch (type)
        {
            case VariableInputType.Text:
                value = text ?? string.Empty;
                return true;
            case VariableInputType.Number when decimal.TryParse(trimmed, NumberStyles.Number, CultureInfo.InvariantCulture, out var number):
                value = number;
                return true;
            case VariableInputType.Boolean when trimmed is "true" or "True" or "TRUE" or "是":
                value = true;
                return true;
            case VariableInputType.Boolean when trimmed is "false" or "False" or "FALSE" or "否":
                value = false;
                return true;
            case VariableInputType.Date when DateOnly.TryParseExact(trimmed, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date):
                value = date;
                return true;
            case VariableInputType.DateTime when DateTimeOffset.TryParseExact(
                trimmed.EndsWith('Z') ? trimmed[..^1] + "+00:00" : trimmed, DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at):
                value = at;
                return true;
            case VariableInputType.Duration when VariableValues.TryParseDuration(trimmed, out var duration):
                value = duration;
                return true;
            default:
                return false;
        }
    }

    // A name the expression language can read: a letter (Chinese included) or underscore, then letters, digits, underscores.
    [GeneratedRegex(@"^[\p{L}_][\p{L}\p{Nd}_]*$")]
    private static partial Regex NamePattern();
}

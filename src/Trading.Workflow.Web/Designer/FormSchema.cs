using System.Text.Json;
using System.Text.Json.Serialization;

namespace Trading.Workflow.Web.Designer;

/// <summary>
/// A task form as data, in the shape of a form-js schema: <c>{"type":"default","components":[...]}</c>. Field types
/// use form-js names where form-js has one (textfield, textarea, number, datetime, select, radio, checkbox,
/// filepicker) and two of ours: <c>money</c> (a decimal amount in yuan) and <c>display</c> (read-only display of a
/// process variable named by <see cref="FormField.Key"/>).
/// </summary>
public sealed class FormSchema
{
    public static readonly IReadOnlyList<string> FieldTypes =
        ["textfield", "textarea", "number", "money", "datetime", "select", "radio", "checkbox", "filepicker", "display"];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string Type { get; set; } = "default";

    public List<FormField> Components { get; set; } = [];

    public static FormSchema Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return new FormSchema();
        }

        return JsonSerializer.Deserialize<FormSchema>(json, Json) ?? new FormSchema();
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Problems that make the schema unusable: fields without key, repeated keys, unknown types, choices without values.</summary>
    public IReadOnlyList<string> Check(DesignerText text)
    {
        var problems = new List<string>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (field, index) in Components.Select((f, i) => (f, i + 1)))
        {
            if (!FieldTypes.Contains(field.Type))
            {
                problems.Add(text["Forms.Problem.Type", index, field.Type]);
            }

            if (string.IsNullOrWhiteSpace(field.Key))
            {
                problems.Add(text["Forms.Problem.NoKey", index]);
            }
            else if (!keys.Add(field.Key))
            {
                problems.Add(text["Forms.Problem.DuplicateKey", field.Key]);
            }

            if (field.Type is "select" or "radio" && (field.Values is null || field.Values.Count == 0))
            {
                problems.Add(text["Forms.Problem.NoValues", field.Key ?? index.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            }
        }

        return problems;
    }
}

public sealed class FormField
{
    public string Type { get; set; } = "textfield";

    public string? Key { get; set; }

    public string? Label { get; set; }

    public string? Description { get; set; }

    public FormValidation? Validate { get; set; }

    /// <summary>The choices of a select or radio field.</summary>
    public List<FormChoice>? Values { get; set; }

    [JsonIgnore]
    public bool Required
    {
        get => Validate?.Required == true;
        set => Validate = value ? new FormValidation { Required = true } : null;
    }

    /// <summary>Choices written as "value=Label; value2=Label 2", for editing in one text box.</summary>
    [JsonIgnore]
    public string ChoicesText
    {
        get => Values is null ? string.Empty : string.Join("; ", Values.Select(v => v.Value == v.Label ? v.Value : $"{v.Value}={v.Label}"));
        set => Values = ParseChoices(value);
    }

    private static List<FormChoice>? ParseChoices(string? text)
    {
        var choices = (text ?? string.Empty)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2, StringSplitOptions.TrimEntries))
            .Where(parts => parts[0].Length > 0)
            .Select(parts => new FormChoice { Value = parts[0], Label = parts.Length > 1 && parts[1].Length > 0 ? parts[1] : parts[0] })
            .ToList();
        return choices.Count == 0 ? null : choices;
    }
}

public sealed class FormValidation
{
    public bool? Required { get; set; }
}

public sealed class FormChoice
{
    public string Value { get; set; } = string.Empty;

    public string Label { get; set; } = string.Empty;
}

using System.Text.Json;
using System.Text.RegularExpressions;

namespace Trading.Workflow.Web.Forms;

/// <summary>A problem in a form definition, in Chinese and English.</summary>
public sealed record FormSchemaProblem(string? Key, string MessageZh, string MessageEn)
{
    public override string ToString() => $"{MessageZh} / {MessageEn}";
}

public sealed class FormSchemaException(IReadOnlyList<FormSchemaProblem> problems)
    : Exception(string.Join(Environment.NewLine, problems.Select(p => p.ToString())))
{
    public IReadOnlyList<FormSchemaProblem> Problems { get; } = problems;
}

/// <summary>Reads and checks form definitions: known field types, unique keys, options where needed, patterns that compile.</summary>
public static class FormSchemaReader
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <exception cref="FormSchemaException">The JSON is not a form or the form has problems.</exception>
    public static FormSchema Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        FormSchema? schema;
        try
        {
            schema = JsonSerializer.Deserialize<FormSchema>(json, Json);
        }
        catch (JsonException ex)
        {
            throw new FormSchemaException([new FormSchemaProblem(null, $"表单定义不是有效的 JSON：{ex.Message}", $"The form definition is not valid JSON: {ex.Message}")]);
        }

        if (schema is null)
        {
            throw new FormSchemaException([new FormSchemaProblem(null, "表单定义为空。", "The form definition is empty.")]);
        }

        var problems = Check(schema);
        return problems.Count == 0 ? schema : throw new FormSchemaException(problems);
    }

    public static string Write(FormSchema schema) => JsonSerializer.Serialize(schema, Json);

    public static IReadOnlyList<FormSchemaProblem> Check(FormSchema schema)
    {
        var problems = new List<FormSchemaProblem>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in schema.Components)
        {
            if (!FormFieldTypes.All.Contains(field.Type, StringComparer.Ordinal))
            {
                problems.Add(new(field.Key, $"未知的字段类型“{field.Type}”。", $"Unknown field type '{field.Type}'."));
                continue;
            }

            if (field.Type == FormFieldTypes.Text)
            {
                continue;
            }

            if (string.IsNullOrWhiteSpace(field.Key))
            {
                problems.Add(new(null, $"{field.Type} 字段缺少 key（变量名）。", $"A {field.Type} field has no key (variable name)."));
                continue;
            }

            if (FormFieldTypes.TakesInput(field.Type) && !keys.Add(field.Key))
            {
                problems.Add(new(field.Key, $"字段 key“{field.Key}”重复。", $"The field key '{field.Key}' is used twice."));
            }

            if (FormFieldTypes.HasOptions(field.Type) && field.Values is not { Count: > 0 })
            {
                problems.Add(new(field.Key, $"字段“{field.Key}”需要选项（values）。", $"The field '{field.Key}' needs options (values)."));
            }

            if (field.Validate is { } v)
            {
                if (v.Min is { } min && v.Max is { } max && min > max)
                {
                    problems.Add(new(field.Key, $"字段“{field.Key}”的最小值大于最大值。", $"The field '{field.Key}' has min greater than max."));
                }

                if (v.Pattern is { Length: > 0 } pattern)
                {
                    try
                    {
                        _ = new Regex(pattern, RegexOptions.None, FormValidator.PatternTimeout);
                    }
                    catch (ArgumentException)
                    {
                        problems.Add(new(field.Key, $"字段“{field.Key}”的格式（pattern）不是有效的正则表达式。", $"The pattern of field '{field.Key}' is not a valid regular expression."));
                    }
                }
            }
        }

        return problems;
    }
}

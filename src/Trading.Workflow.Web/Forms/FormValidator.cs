using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Trading.Workflow.Web.Forms;

/// <summary>One field's problem, in Chinese and English.</summary>
public sealed record FormFieldError(string Key, string MessageZh, string MessageEn)
{
    public string Message(CultureInfo culture) => culture.TwoLetterISOLanguageName == "en" ? MessageEn : MessageZh;
}

/// <summary>The outcome of checking a submission: the errors, or the typed values to hand to the engine.</summary>
public sealed record FormValidationResult(IReadOnlyList<FormFieldError> Errors, IReadOnlyDictionary<string, object?> Values)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// Checks submitted values against a form: required, min/max (numbers, money, text length), pattern, options.
/// The same checks run in the browser as the user types (the renderer calls <see cref="ValidateField"/>) and on the
/// server when the task is completed (<see cref="Validate"/>), so nothing the browser skips gets through. Only the
/// form's own input fields are returned: a submission cannot set other process variables.
/// </summary>
public static class FormValidator
{
    public static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest text a one-line field takes when the form sets no maximum.</summary>
    public const int DefaultTextFieldMaxLength = 500;

    /// <summary>Longest text a text area takes when the form sets no maximum.</summary>
    public const int DefaultTextAreaMaxLength = 20_000;

    /// <summary>Business dates lie in this range (0001-01-01 or 9999-12-31 is a typing or a probing error).</summary>
    public static readonly DateOnly EarliestDate = new(1900, 1, 1);

    public static readonly DateOnly LatestDate = new(2199, 12, 31);

    public static FormValidationResult Validate(FormSchema schema, IReadOnlyDictionary<string, object?> submitted)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(submitted);
        var errors = new List<FormFieldError>();
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var field in schema.InputFields)
        {
            if (field.Readonly || field.Key is null)
            {
                continue;
            }

            submitted.TryGetValue(field.Key, out var raw);
            var (value, error) = Check(field, raw);
            if (error is not null)
            {
                errors.Add(error);
            }
            else
            {
                values[field.Key] = value;
            }
        }

        return new FormValidationResult(errors, values);
    }

    /// <summary>The problem with one field's value, or null.</summary>
    public static FormFieldError? ValidateField(FormField field, object? raw) => Check(field, raw).Error;

    private static (object? Value, FormFieldError? Error) Check(FormField field, object? raw)
    {
        var key = field.Key!;
        var label = field.Label ?? key;
        var labelEn = field.LabelEn ?? field.Label ?? key;
        var rules = field.Validate ?? new FormValidation();
        raw = Unwrap(raw);
        if (IsEmpty(raw, field.Type))
        {
            return rules.Required
                ? (null, new FormFieldError(key, field.Type == FormFieldTypes.Checkbox ? $"请勾选“{label}”。" : $"请填写“{label}”。",
                    field.Type == FormFieldTypes.Checkbox ? $"'{labelEn}' must be ticked." : $"'{labelEn}' is required."))
                : (field.Type == FormFieldTypes.Checkbox ? false : null, null);
        }

        switch (field.Type)
        {
            case FormFieldTypes.TextField or FormFieldTypes.TextArea:
            {
                var text = Convert.ToString(raw, CultureInfo.InvariantCulture)!.Trim();
                if (rules.MinLength is { } minLength && text.Length < minLength)
                {
                    return (null, new(key, $"“{label}”至少 {minLength} 个字符。", $"'{labelEn}' needs at least {minLength} characters."));
                }

                var maxLength = rules.MaxLength ?? (field.Type == FormFieldTypes.TextArea ? DefaultTextAreaMaxLength : DefaultTextFieldMaxLength);
                if (text.Length > maxLength)
                {
                    return (null, new(key, $"“{label}”最多 {maxLength} 个字符。", $"'{labelEn}' allows at most {maxLength} characters."));
                }

                if (rules.Pattern is { Length: > 0 } pattern && !Matches(pattern, text))
                {
                    return (null, new(key, rules.PatternMessage ?? $"“{label}”的格式不正确。", rules.PatternMessageEn ?? $"'{labelEn}' is not in the expected format."));
                }

                return (text, null);
            }

            case FormFieldTypes.Number or FormFieldTypes.Money:
            {
                if (!TryDecimal(raw!, out var number))
                {
                    return (null, new(key, $"“{label}”必须是数字。", $"'{labelEn}' must be a number."));
                }

                if (field.Type == FormFieldTypes.Money && decimal.Round(number, 2) != number)
                {
                    return (null, new(key, $"“{label}”最多两位小数（元、角、分）。", $"'{labelEn}' allows at most two decimal places."));
                }

                if (rules.Min is { } min && number < min)
                {
                    return (null, new(key, $"“{label}”不能小于 {min.ToString(CultureInfo.InvariantCulture)}。", $"'{labelEn}' must be at least {min.ToString(CultureInfo.InvariantCulture)}."));
                }

                if (rules.Max is { } max && number > max)
                {
                    return (null, new(key, $"“{label}”不能大于 {max.ToString(CultureInfo.InvariantCulture)}。", $"'{labelEn}' must be at most {max.ToString(CultureInfo.InvariantCulture)}."));
                }

                return (number, null);
            }

            case FormFieldTypes.Date or FormFieldTypes.DateTime:
                if (!TryDate(raw!, out var date))
                {
                    return (null, new(key, $"“{label}”必须是日期（年-月-日）。", $"'{labelEn}' must be a date (year-month-day)."));
                }

                return date < EarliestDate || date > LatestDate
                    ? (null, new(key, $"“{label}”须在 {EarliestDate:yyyy-MM-dd} 至 {LatestDate:yyyy-MM-dd} 之间。", $"'{labelEn}' must lie between {EarliestDate:yyyy-MM-dd} and {LatestDate:yyyy-MM-dd}."))
                    : (date, null);

            case FormFieldTypes.Checkbox:
                return raw switch
                {
                    bool b when rules.Required && !b => (null, new(key, $"请勾选“{label}”。", $"'{labelEn}' must be ticked.")),
                    bool b => (b, null),
                    string s when bool.TryParse(s, out var parsed) => rules.Required && !parsed
                        ? (null, new(key, $"请勾选“{label}”。", $"'{labelEn}' must be ticked."))
                        : (parsed, null),
                    _ => (null, new(key, $"“{label}”必须是“是”或“否”。", $"'{labelEn}' must be yes or no.")),
                };

            case FormFieldTypes.Select or FormFieldTypes.Radio:
            {
                var text = Convert.ToString(raw, CultureInfo.InvariantCulture)!;
                return field.Values?.Any(o => o.Value == text) == true
                    ? (text, null)
                    : (null, new(key, $"“{label}”的选项无效。", $"'{labelEn}' has an option that is not offered."));
            }

            case FormFieldTypes.Checklist:
            {
                var chosen = raw is IEnumerable<object?> items && raw is not string
                    ? items.Select(i => Convert.ToString(Unwrap(i), CultureInfo.InvariantCulture) ?? "").ToList()
                    : [Convert.ToString(raw, CultureInfo.InvariantCulture) ?? ""];
                if (chosen.Any(c => field.Values?.Any(o => o.Value == c) != true))
                {
                    return (null, new(key, $"“{label}”的选项无效。", $"'{labelEn}' has an option that is not offered."));
                }

                return (chosen.Distinct(StringComparer.Ordinal).Cast<object?>().ToList(), null);
            }

            case FormFieldTypes.File:
            {
                var ids = raw is IEnumerable<object?> list && raw is not string
                    ? list.Select(i => Convert.ToString(Unwrap(i), CultureInfo.InvariantCulture) ?? "").ToList()
                    : [Convert.ToString(raw, CultureInfo.InvariantCulture) ?? ""];
                return ids.All(i => Guid.TryParse(i, out _))
                    ? (ids.Count == 1 ? ids[0] : ids.Cast<object?>().ToList(), null)
                    : (null, new(key, $"“{label}”不是已上传的文件。", $"'{labelEn}' is not an uploaded file."));
            }

            default:
                return (null, null);
        }
    }

    private static object? Unwrap(object? raw) => raw switch
    {
        JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
        // A number beyond decimal's range (1e30) stays text and is refused as "must be a number", never thrown.
        JsonElement { ValueKind: JsonValueKind.Number } e => e.TryGetDecimal(out var number) ? number : e.GetRawText(),
        JsonElement { ValueKind: JsonValueKind.True } => true,
        JsonElement { ValueKind: JsonValueKind.False } => false,
        JsonElement { ValueKind: JsonValueKind.Array } e => e.EnumerateArray().Select(x => Unwrap(x)).ToList(),
        _ => raw,
    };

    private static bool IsEmpty(object? raw, string type) => raw switch
    {
        null => true,
        string s => string.IsNullOrWhiteSpace(s),
        IEnumerable<object?> list when type is FormFieldTypes.Checklist or FormFieldTypes.File => !list.Any(),
        _ => false,
    };

    private static bool Matches(string pattern, string text)
    {
        try
        {
            return Regex.IsMatch(text, $"^(?:{pattern})$", RegexOptions.None, PatternTimeout);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static bool TryDecimal(object raw, out decimal value)
    {
        switch (raw)
        {
            case decimal d:
                value = d;
                return true;
            case int or long or short or byte:
                value = Convert.ToDecimal(raw, CultureInfo.InvariantCulture);
                return true;
            case double or float:
                var dbl = Convert.ToDouble(raw, CultureInfo.InvariantCulture);
                if (double.IsFinite(dbl) && Math.Abs(dbl) < 7.9e28)
                {
                    value = (decimal)dbl;
                    return true;
                }

                value = 0;
                return false;
            case string s:
                return decimal.TryParse(s.Trim().Replace(",", "", StringComparison.Ordinal), NumberStyles.Number, CultureInfo.InvariantCulture, out value);
            default:
                value = 0;
                return false;
        }
    }

    private static bool TryDate(object raw, out DateOnly date)
    {
        switch (raw)
        {
            case DateOnly d:
                date = d;
                return true;
            case DateTime dt:
                date = DateOnly.FromDateTime(dt);
                return true;
            case DateTimeOffset dto:
                date = DateOnly.FromDateTime(dto.ToOffset(TimeSpan.FromHours(8)).DateTime);
                return true;
            case string s:
                return DateOnly.TryParseExact(s.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
            default:
                date = default;
                return false;
        }
    }
}

using System.Globalization;
using System.Text.Json.Serialization;

namespace Trading.Workflow.Web.Forms;

/// <summary>
/// A task form as data, in the shape of a form-js schema (<c>{"type":"default","id":...,"components":[...]}</c>)
/// with two additions of ours: the field type <c>money</c> (a decimal amount in yuan) and <c>display</c> (a
/// read-only process variable), and English texts beside the Chinese ones (<c>labelEn</c>, <c>descriptionEn</c>).
/// </summary>
public sealed class FormSchema
{
    public string Type { get; set; } = "default";

    public string? Id { get; set; }

    /// <summary>Title shown above the form.</summary>
    public string? Title { get; set; }

    public string? TitleEn { get; set; }

    public List<FormField> Components { get; set; } = [];

    public string? SchemaVersion { get; set; }

    public string? LocalizedTitle(CultureInfo culture) => FormText.Pick(culture, Title, TitleEn);

    /// <summary>The fields that take input (everything but static text and variable displays).</summary>
    [JsonIgnore]
    public IEnumerable<FormField> InputFields => Components.Where(c => FormFieldTypes.TakesInput(c.Type));
}

public sealed class FormField
{
    /// <summary>One of <see cref="FormFieldTypes"/>.</summary>
    public string Type { get; set; } = FormFieldTypes.TextField;

    /// <summary>Form-js element id; optional.</summary>
    public string? Id { get; set; }

    /// <summary>The process variable the field reads and writes (for <c>display</c>: the variable shown).</summary>
    public string? Key { get; set; }

    public string? Label { get; set; }

    public string? LabelEn { get; set; }

    public string? Description { get; set; }

    public string? DescriptionEn { get; set; }

    /// <summary>Static text of a <c>text</c> component.</summary>
    public string? Text { get; set; }

    public string? TextEn { get; set; }

    public FormValidation? Validate { get; set; }

    /// <summary>Options of select, radio and checklist fields.</summary>
    public List<FormOption>? Values { get; set; }

    /// <summary>Value shown when neither the task nor the process holds one yet.</summary>
    public object? DefaultValue { get; set; }

    /// <summary>Shown but not editable; a read-only field is not submitted.</summary>
    public bool Readonly { get; set; }

    /// <summary>File fields: accepted extensions, e.g. ".pdf,.docx".</summary>
    public string? Accept { get; set; }

    public string? LocalizedLabel(CultureInfo culture) => FormText.Pick(culture, Label, LabelEn) ?? Key;

    public string? LocalizedDescription(CultureInfo culture) => FormText.Pick(culture, Description, DescriptionEn);

    public string? LocalizedText(CultureInfo culture) => FormText.Pick(culture, Text, TextEn);

    [JsonIgnore]
    public bool IsRequired => Validate?.Required == true;
}

public sealed class FormValidation
{
    public bool Required { get; set; }

    public decimal? Min { get; set; }

    public decimal? Max { get; set; }

    public int? MinLength { get; set; }

    public int? MaxLength { get; set; }

    /// <summary>A .NET regular expression the whole text must match (anchored).</summary>
    public string? Pattern { get; set; }

    /// <summary>Shown when the pattern does not match, instead of the generic message.</summary>
    public string? PatternMessage { get; set; }

    public string? PatternMessageEn { get; set; }
}

public sealed class FormOption
{
    public string Value { get; set; } = "";

    public string? Label { get; set; }

    public string? LabelEn { get; set; }

    public string LocalizedLabel(CultureInfo culture) => FormText.Pick(culture, Label, LabelEn) ?? Value;
}

/// <summary>The field types a form may hold.</summary>
public static class FormFieldTypes
{
    public const string TextField = "textfield";
    public const string TextArea = "textarea";
    public const string Number = "number";
    public const string Money = "money";
    public const string Date = "date";

    /// <summary>form-js's name for a date field (the designer writes it); handled as <see cref="Date"/>.</summary>
    public const string DateTime = "datetime";
    public const string Select = "select";
    public const string Radio = "radio";
    public const string Checkbox = "checkbox";
    public const string Checklist = "checklist";
    public const string File = "filepicker";
    public const string Display = "display";
    public const string Text = "text";

    public static IReadOnlyList<string> All { get; } = [TextField, TextArea, Number, Money, Date, DateTime, Select, Radio, Checkbox, Checklist, File, Display, Text];

    public static bool TakesInput(string type) => type is not (Display or Text);

    public static bool HasOptions(string type) => type is Select or Radio or Checklist;
}

internal static class FormText
{
    public static string? Pick(CultureInfo culture, string? zh, string? en) =>
        culture.TwoLetterISOLanguageName == "en" && !string.IsNullOrWhiteSpace(en) ? en : string.IsNullOrWhiteSpace(zh) ? en : zh;
}

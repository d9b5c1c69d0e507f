using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;
using Trading.Workflow.Web.Forms;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.Forms;

/// <summary>The form renderer: a MudBlazor input per field type, the server's validation as the user types, read-only values.</summary>
public sealed class FormRendererTests : PlatformComponentTest, IAsyncLifetime
{
    private static readonly List<FormOption> Options =
    [
        new() { Value = "approve", Label = "通过", LabelEn = "Approve" },
        new() { Value = "return", Label = "退回", LabelEn = "Return" },
    ];

    // What each field type renders; a type added to FormFieldTypes without an input here fails the test below.
    private static readonly Dictionary<string, string> InputOf = new()
    {
        [FormFieldTypes.TextField] = ".mud-input-control input[type=text]",
        [FormFieldTypes.TextArea] = ".mud-input-control textarea",
        [FormFieldTypes.Number] = ".mud-input-control input[inputmode=decimal]",
        [FormFieldTypes.Money] = ".mud-input-control input[inputmode=decimal]",
        [FormFieldTypes.Date] = ".mud-picker input",
        [FormFieldTypes.DateTime] = ".mud-picker input",
        [FormFieldTypes.Select] = ".mud-select",
        [FormFieldTypes.Radio] = ".mud-radio-group input[type=radio]",
        [FormFieldTypes.Checkbox] = ".mud-checkbox input[type=checkbox]",
        [FormFieldTypes.Checklist] = ".mud-checkbox input[type=checkbox]",
        [FormFieldTypes.File] = ".mud-file-upload button",
        [FormFieldTypes.Display] = ".mud-input-control [data-testid^=display-]",
        [FormFieldTypes.Text] = ".tw-form-text",
    };

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's popover service only disposes asynchronously.
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    private static FormField Field(string type, string key, string label, string labelEn, FormValidation? validate = null) => new()
    {
        Type = type,
        Key = key,
        Label = label,
        LabelEn = labelEn,
        Validate = validate,
        Values = FormFieldTypes.HasOptions(type) ? Options : null,
        Text = type == FormFieldTypes.Text ? "请核对以下内容。" : null,
    };

    private IRenderedComponent<FormRenderer> RenderForm(FormSchema schema, Dictionary<string, object?> values, bool readOnly = false,
        IReadOnlyDictionary<string, object?>? variables = null)
    {
        Render<MudPopoverProvider>();
        return Render<FormRenderer>(p => p
            .Add(r => r.Schema, schema)
            .Add(r => r.Values, values)
            .Add(r => r.ReadOnly, readOnly)
            .Add(r => r.Variables, variables ?? new Dictionary<string, object?>())
            .Add(r => r.Upload, (FormField _, IBrowserFile _) => Task.FromResult<string?>(Guid.NewGuid().ToString()))
            .Add(r => r.DocumentName, id => id == DocumentId ? "招标公告.pdf" : null));
    }

    private const string DocumentId = "0b9f7c56-3c55-4a8c-9d7e-2f4b9b1d3a10";

    [Fact]
    public void EveryFieldType_RendersItsMudBlazorInput()
    {
        Assert.Equal(FormFieldTypes.All.Order(), InputOf.Keys.Order());
        var schema = new FormSchema { Id = "all", Components = FormFieldTypes.All.Select(t => Field(t, "f_" + t, "字段" + t, "Field " + t)).ToList() };

        var form = RenderForm(schema, new Dictionary<string, object?>(), variables: new Dictionary<string, object?> { ["f_display"] = "演示学校" });

        foreach (var type in FormFieldTypes.All)
        {
            var field = form.Find($"[data-testid=form-field-f_{type}]");
            Assert.True(field.QuerySelector(InputOf[type]) is not null, $"{type}: no {InputOf[type]} in {field.OuterHtml}");
        }

        Assert.Equal(2, form.FindAll("[data-testid=form-field-f_radio] input[type=radio]").Count);
        Assert.Equal(2, form.FindAll("[data-testid=form-field-f_checklist] input[type=checkbox]").Count);
        Assert.Equal("演示学校", form.Find("[data-testid=display-f_display]").TextContent.Trim());
    }

    [Theory]
    [InlineData("zh-CN", "请填写“项目名称”。")]
    [InlineData("en", "'Project name' is required.")]
    public void RequiredText_ClearedWhileTyping_SaysItIsRequiredInTheUsersLanguage(string culture, string message)
    {
        Culture(culture);
        var schema = new FormSchema { Components = [Field(FormFieldTypes.TextField, "name", "项目名称", "Project name", new() { Required = true })] };
        var values = new Dictionary<string, object?>();
        var form = RenderForm(schema, values);

        form.Find("[data-testid=form-field-name] input").Input("教学楼");
        // MudBlazor's input may hand the value over after Input() returns: wait for the render it causes, then look for the error.
        form.WaitForAssertion(() => Assert.Equal("教学楼", form.Find("[data-testid=form-field-name] input").GetAttribute("value")));
        Assert.Empty(form.FindAll("[data-testid=field-error-name]"));
        form.Find("[data-testid=form-field-name] input").Input("");

        form.WaitForAssertion(() => Assert.Equal(message, form.Find("[data-testid=field-error-name]").TextContent.Trim()));
    }

    [Theory]
    [InlineData("zh-CN", "5", "“保证金”不能小于 10。")]
    [InlineData("en", "5", "'Deposit' must be at least 10.")]
    [InlineData("zh-CN", "2,000", "“保证金”不能大于 1000。")]
    [InlineData("en", "2,000", "'Deposit' must be at most 1000.")]
    [InlineData("zh-CN", "十元", "“保证金”必须是数字。")]
    [InlineData("en", "10.005", "'Deposit' allows at most two decimal places.")]
    public void MoneyOutsideItsRules_SaysWhyAsTheUserTypes(string culture, string typed, string message)
    {
        Culture(culture);
        var schema = new FormSchema { Components = [Field(FormFieldTypes.Money, "deposit", "保证金", "Deposit", new() { Min = 10, Max = 1000 })] };
        var form = RenderForm(schema, new Dictionary<string, object?>());

        form.Find("[data-testid=form-field-deposit] input").Input(typed);

        form.WaitForAssertion(() => Assert.Equal(message, form.Find("[data-testid=field-error-deposit]").TextContent.Trim()));
    }

    [Theory]
    [InlineData("zh-CN", "“项目编号”的格式不正确。")]
    [InlineData("en", "'Project code' is not in the expected format.")]
    public void PatternMismatch_SaysTheFormatIsWrong_AndAMatchClearsIt(string culture, string message)
    {
        Culture(culture);
        var schema = new FormSchema { Components = [Field(FormFieldTypes.TextField, "code", "项目编号", "Project code", new() { Pattern = "[A-Z]+-\\d{4}" })] };
        var form = RenderForm(schema, new Dictionary<string, object?>());

        form.Find("[data-testid=form-field-code] input").Input("abc");
        form.WaitForAssertion(() => Assert.Equal(message, form.Find("[data-testid=field-error-code]").TextContent.Trim()));

        form.Find("[data-testid=form-field-code] input").Input("DEMO-2026");
        form.WaitForAssertion(() => Assert.Empty(form.FindAll("[data-testid=field-error-code]")));
    }

    [Fact]
    public void TypedNumber_ReachesTheValuesAsADecimal()
    {
        var schema = new FormSchema { Components = [Field(FormFieldTypes.Money, "price", "预算", "Budget")] };
        var values = new Dictionary<string, object?>();
        var form = RenderForm(schema, values);

        form.Find("[data-testid=form-field-price] input").Input("8,600,000.50");

        // The amount shown under the field comes with the input's render.
        form.WaitForAssertion(() => Assert.Contains("¥8,600,000.50", form.Find("[data-testid=form-field-price]").TextContent, StringComparison.Ordinal));
        Assert.Equal(8_600_000.50m, values["price"]);
        Assert.Empty(form.FindAll("[data-testid=field-error-price]"));
    }

    [Fact]
    public async Task ValidateAll_OnSubmit_MarksEveryRequiredFieldLeftEmpty_AsTheServerWould()
    {
        var schema = new FormSchema
        {
            Components =
            [
                Field(FormFieldTypes.Radio, "decision", "审核意见", "Decision", new() { Required = true }),
                Field(FormFieldTypes.Checkbox, "agree", "已核对", "Checked", new() { Required = true }),
                Field(FormFieldTypes.TextArea, "comment", "说明", "Comment"),
            ],
        };
        var values = new Dictionary<string, object?>();
        var form = RenderForm(schema, values);

        var valid = await form.InvokeAsync(() => form.Instance.ValidateAll());

        Assert.False(valid);
        Assert.Equal(FormValidator.Validate(schema, values).Errors.Select(e => e.Key), ["decision", "agree"]);
        Assert.Equal("请填写“审核意见”。", form.Find("[data-testid=field-error-decision]").TextContent.Trim());
        Assert.Equal("请勾选“已核对”。", form.Find("[data-testid=field-error-agree]").TextContent.Trim());
        Assert.Empty(form.FindAll("[data-testid=field-error-comment]"));
    }

    [Fact]
    public void ChoosingARadioOption_SetsItsValue_AndClearsTheError()
    {
        var schema = new FormSchema { Components = [Field(FormFieldTypes.Radio, "decision", "审核意见", "Decision", new() { Required = true })] };
        var values = new Dictionary<string, object?>();
        var form = RenderForm(schema, values);

        form.FindAll("[data-testid=form-field-decision] input[type=radio]")[1].Click();

        form.WaitForAssertion(() => Assert.Equal("return", values.GetValueOrDefault("decision")));
    }

    [Theory]
    [InlineData("zh-CN", "¥8,600,000.00", "2026-12-01", "通过", "通过、退回", "是", "招标公告.pdf", "（空）")]
    [InlineData("en", "¥8,600,000.00", "2026-12-01", "Approve", "Approve, Return", "Yes", "招标公告.pdf", "(empty)")]
    public void ReadOnly_ShowsTheValuesAsText_MoneyDatesOptionsAndFiles_WithNoInputs(
        string culture, string money, string date, string option, string options, string yes, string file, string empty)
    {
        Culture(culture);
        var schema = new FormSchema
        {
            Components =
            [
                Field(FormFieldTypes.Money, "price", "预算", "Budget"),
                Field(FormFieldTypes.Date, "opens", "开标日期", "Opening date"),
                Field(FormFieldTypes.Select, "decision", "审核意见", "Decision"),
                Field(FormFieldTypes.Checklist, "checks", "核对项", "Checks"),
                Field(FormFieldTypes.Checkbox, "agree", "已核对", "Checked"),
                Field(FormFieldTypes.File, "announcement", "公告文件", "Announcement"),
                Field(FormFieldTypes.TextArea, "comment", "说明", "Comment"),
            ],
        };
        var values = new Dictionary<string, object?>
        {
            ["price"] = 8_600_000m,
            ["opens"] = new DateOnly(2026, 12, 1),
            ["decision"] = "approve",
            ["checks"] = new List<object?> { "approve", "return" },
            ["agree"] = true,
            ["announcement"] = DocumentId,
            ["comment"] = null,
        };

        var form = RenderForm(schema, values, readOnly: true);

        Assert.Equal(money, form.Find("[data-testid=value-price]").TextContent.Trim());
        Assert.Equal(date, form.Find("[data-testid=value-opens]").TextContent.Trim());
        Assert.Equal(option, form.Find("[data-testid=value-decision]").TextContent.Trim());
        Assert.Equal(options, form.Find("[data-testid=value-checks]").TextContent.Trim());
        Assert.Equal(yes, form.Find("[data-testid=value-agree]").TextContent.Trim());
        Assert.Equal(file, form.Find("[data-testid=value-announcement]").TextContent.Trim());
        Assert.Equal(empty, form.Find("[data-testid=value-comment]").TextContent.Trim());
        Assert.Empty(form.FindAll("[data-testid=task-form] input, [data-testid=task-form] textarea, [data-testid=task-form] button"));
    }
}

using Trading.Workflow.Web.Forms;
using Trading.Workflow.Web.Forms.Components;

namespace Trading.Workflow.Web.Tests.Forms;

public sealed class FormValidatorTests
{
    private static readonly FormSchema Schema = FormSchemaReader.Parse("""
        {
          "type": "default", "id": "sample",
          "components": [
            { "type": "display", "key": "projectCode", "label": "项目编号" },
            { "type": "textfield", "key": "title", "label": "标题", "labelEn": "Title", "validate": { "required": true, "maxLength": 10 } },
            { "type": "textfield", "key": "voucher", "label": "凭证号", "validate": { "pattern": "[A-Z]{2}-\\d{4}", "patternMessage": "凭证号格式为 AB-1234" } },
            { "type": "number", "key": "members", "label": "人数", "validate": { "min": 5, "max": 99 } },
            { "type": "money", "key": "deposit", "label": "保证金" },
            { "type": "date", "key": "saleStart", "label": "发售日期" },
            { "type": "select", "key": "method", "label": "方式", "values": [ { "value": "post", "label": "资格后审" }, { "value": "pre", "label": "资格预审" } ] },
            { "type": "checkbox", "key": "signed", "label": "已签字", "validate": { "required": true } }
          ]
        }
        """);

    private static Dictionary<string, object?> Valid() => new()
    {
        ["title"] = "招标公告",
        ["voucher"] = "AB-1234",
        ["members"] = 7m,
        ["deposit"] = "200000.50",
        ["saleStart"] = "2026-11-23",
        ["method"] = "post",
        ["signed"] = true,
    };

    private static FormFieldError? ErrorFor(string key, object? value)
    {
        var values = Valid();
        values[key] = value;
        return FormValidator.Validate(Schema, values).Errors.SingleOrDefault(e => e.Key == key);
    }

    [Fact]
    public void Validate_WhenRequiredTextIsBlank_ReportsTheFieldInBothLanguages()
    {
        var error = ErrorFor("title", "  ");

        Assert.NotNull(error);
        Assert.Contains("标题", error.MessageZh);
        Assert.Contains("Title", error.MessageEn);
    }

    [Fact]
    public void Validate_WhenTextIsLongerThanMaxLength_ReportsIt() => Assert.NotNull(ErrorFor("title", "一二三四五六七八九十一"));

    [Fact]
    public void Validate_WhenPatternDoesNotMatchTheWholeText_ReportsThePatternMessage()
    {
        var error = ErrorFor("voucher", "AB-12345");

        Assert.Equal("凭证号格式为 AB-1234", error?.MessageZh);
    }

    [Fact]
    public void Validate_WhenNumberIsBelowMin_ReportsIt() => Assert.NotNull(ErrorFor("members", 3m));

    [Fact]
    public void Validate_WhenNumberIsAboveMax_ReportsIt() => Assert.NotNull(ErrorFor("members", 100m));

    [Fact]
    public void Validate_WhenMoneyHasThreeDecimals_ReportsIt() => Assert.NotNull(ErrorFor("deposit", 1.005m));

    [Fact]
    public void Validate_WhenDateIsNotADate_ReportsIt() => Assert.NotNull(ErrorFor("saleStart", "23/11/2026"));

    [Fact]
    public void Validate_WhenSelectValueIsNotOffered_ReportsIt() => Assert.NotNull(ErrorFor("method", "auction"));

    [Fact]
    public void Validate_WhenRequiredCheckboxIsUnticked_ReportsIt() => Assert.NotNull(ErrorFor("signed", false));

    [Fact]
    public void Validate_WhenValid_ReturnsTypedValues()
    {
        var result = FormValidator.Validate(Schema, Valid());

        Assert.True(result.IsValid);
        Assert.Equal(200000.50m, result.Values["deposit"]);
        Assert.Equal(new DateOnly(2026, 11, 23), result.Values["saleStart"]);
        Assert.Equal(true, result.Values["signed"]);
    }

    [Fact]
    public void Validate_WhenSubmissionCarriesOtherKeys_ReturnsOnlyTheFormsInputFields()
    {
        var values = Valid();
        values["projectCode"] = "forged";
        values["reviewDecision"] = "approve";

        var result = FormValidator.Validate(Schema, values);

        Assert.False(result.Values.ContainsKey("projectCode"));
        Assert.False(result.Values.ContainsKey("reviewDecision"));
    }

    [Fact]
    public void Parse_WhenFieldTypeIsUnknown_ReportsTheType()
    {
        var ex = Assert.Throws<FormSchemaException>(() => FormSchemaReader.Parse("""{ "components": [ { "type": "slider", "key": "x" } ] }"""));

        Assert.Contains("slider", Assert.Single(ex.Problems).MessageEn);
    }

    [Fact]
    public void Parse_WhenAKeyIsUsedTwice_ReportsIt()
    {
        var ex = Assert.Throws<FormSchemaException>(() => FormSchemaReader.Parse(
            """{ "components": [ { "type": "textfield", "key": "x" }, { "type": "number", "key": "x" } ] }"""));

        Assert.Equal("x", Assert.Single(ex.Problems).Key);
    }

    [Fact]
    public void Parse_WhenSelectHasNoOptions_ReportsIt() =>
        Assert.Throws<FormSchemaException>(() => FormSchemaReader.Parse("""{ "components": [ { "type": "select", "key": "x" } ] }"""));

    public static TheoryData<string> ShippedForms()
    {
        var data = new TheoryData<string>();
        var folder = Path.Combine(AppContext.BaseDirectory, "workflows");
        foreach (var file in Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories))
        {
            data.Add(Path.GetRelativePath(folder, file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ShippedForms))]
    public void ShippedForm_Parses(string relativePath)
    {
        var schema = FormSchemaReader.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "workflows", relativePath)));

        Assert.NotEmpty(schema.InputFields);
    }
}

public sealed class BidOpeningRulesTests
{
    private static Dictionary<string, object?> Bids(params (string? Bidder, decimal? Price)[] bids) => new()
    {
        [BidOpeningRules.BiddersVariable] = bids.Select(b => (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?> { ["bidder"] = b.Bidder, ["price"] = b.Price }).ToList(),
        [BidOpeningRules.RecordVariable] = "开标记录",
    };

    [Fact]
    public void Validate_WithTwoBids_IsValidAndCountsTwo()
    {
        var result = BidOpeningRules.Validate(Bids(("甲公司", 100m), ("乙公司", 120m)));

        Assert.True(result.IsValid);
        Assert.Equal(2m, result.Values[BidOpeningRules.CountVariable]);
    }

    [Fact]
    public void Validate_WhenABidderIsListedTwice_ReportsIt() =>
        Assert.False(BidOpeningRules.Validate(Bids(("甲公司", 100m), ("甲公司", 110m))).IsValid);

    [Fact]
    public void Validate_WhenAPriceIsMissing_ReportsIt() =>
        Assert.False(BidOpeningRules.Validate(Bids(("甲公司", null))).IsValid);
}

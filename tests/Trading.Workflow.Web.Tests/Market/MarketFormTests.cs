using System.Globalization;
using System.Resources;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using MudBlazor;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Web.Components.Pages.Market;
using Trading.Workflow.Web.Market;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.Market;

/// <summary>The market forms check as the user types, with the domain's rules and the messages in Chinese (English on request).</summary>
public sealed class MarketFormTests : PlatformComponentTest
{
    private static readonly DateOnly Today = new(2026, 12, 2);

    private IRenderedComponent<MudForm> RenderProfile(EntityProfileInput input)
    {
        RenderProviders();
        return Render<MudForm>(form => form.AddChildContent<EntityProfileFields>(fields => fields
            .Add(f => f.Input, input)
            .Add(f => f.KindSelectable, true)
            .Add(f => f.Today, Today)));
    }

    [Fact]
    public void CreditCode_WithAMistypedCheckCharacter_SaysSoInChineseAsTyped()
    {
        var form = RenderProfile(new EntityProfileInput());

        form.Find("input[name=identifier]").Input("91350100M000100Y44");

        form.WaitForAssertion(() => Assert.Contains("统一社会信用代码校验位不正确，请核对是否输错。", form.Markup, StringComparison.Ordinal));
        form.Find("input[name=identifier]").Input("91350100M000100Y43");
        form.WaitForAssertion(() => Assert.DoesNotContain("校验位不正确", form.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public void EveryFieldTheRulesRequire_IsMarkedRequired_BeforeAnySubmit()
    {
        // The credit code, the representative's ID, the region and the account number were only flagged after a submit.
        var form = RenderProfile(new EntityProfileInput());

        foreach (var name in new[] { "entityName", "identifier", "legalRepresentative", "legalRepresentativeIdNumber", "region", "bank", "accountName", "accountNumber" })
        {
            Assert.True(form.Find($"input[name={name}]").HasAttribute("required"), $"{name} is not marked required");
        }

        Assert.False(form.Find("input[name=address]").HasAttribute("required"));
    }

    [Fact]
    public void CreditCode_WithALetterNeverUsed_NamesTheRule()
    {
        var form = RenderProfile(new EntityProfileInput());

        form.Find("input[name=identifier]").Input("91350100M0001O0Y43");

        form.WaitForAssertion(() => Assert.Contains("不使用 I、O、Z、S、V", form.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public void ResidentId_OfANaturalPerson_IsCheckedByItsCheckDigit()
    {
        var form = RenderProfile(new EntityProfileInput { Kind = EntityKind.NaturalPerson });

        form.Find("input[name=identifier]").Input("110105194912310021");

        form.WaitForAssertion(() => Assert.Contains("居民身份证号码校验位不正确", form.Markup, StringComparison.Ordinal));
        Assert.Empty(form.FindAll("input[name=legalRepresentative]"));
        Assert.Empty(form.FindAll("input[name=accountNumber]"));
    }

    [Fact]
    public void RegionAndAccountNumber_AreCheckedAsTyped()
    {
        var form = RenderProfile(new EntityProfileInput());

        form.Find("input[name=region]").Input("5301");
        form.Find("input[name=accountNumber]").Input("6222-abc");

        form.WaitForAssertion(() =>
        {
            Assert.Contains("地区应为 6 位行政区划代码，例如 530100。", form.Markup, StringComparison.Ordinal);
            Assert.Contains("银行账号应为 8–32 位数字。", form.Markup, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Submit_WithEmptyFields_ShowsEachRequiredMessageInChinese()
    {
        var form = RenderProfile(new EntityProfileInput());

        await form.InvokeAsync(() => form.Instance.ValidateAsync());

        Assert.False(form.Instance.IsValid);
        Assert.Contains("请填写名称。", form.Markup, StringComparison.Ordinal);
        Assert.Contains("请填写统一社会信用代码。", form.Markup, StringComparison.Ordinal);
        Assert.Contains("请填写法定代表人。", form.Markup, StringComparison.Ordinal);
        Assert.Contains("请填写法定代表人身份证号", form.Markup, StringComparison.Ordinal);
        Assert.Contains("请填写所在地区。", form.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void RepresentativeId_OfAnOrganisation_IsAskedAndCheckedByItsCheckDigitAsTyped()
    {
        var input = new EntityProfileInput();
        var form = RenderProfile(input);

        form.Find("input[name=legalRepresentativeIdNumber]").Input("350102198001010004");

        form.WaitForAssertion(() => Assert.Contains("居民身份证号码校验位不正确", form.Markup, StringComparison.Ordinal));
        form.Find("input[name=legalRepresentativeIdNumber]").Input("35010219800101002x");
        form.WaitForAssertion(() => Assert.DoesNotContain("校验位不正确", form.Markup, StringComparison.Ordinal));
        Assert.Equal("35010219800101002x", input.LegalRepresentativeIdNumber);
        Assert.Contains("法定代表人身份证号", form.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RepresentativeId_LeftEmpty_InEnglish_SaysItIsRequiredInEnglish()
    {
        Culture("en");
        var form = RenderProfile(new EntityProfileInput());

        await form.InvokeAsync(() => form.Instance.ValidateAsync());

        Assert.Contains("resident ID number (required to register and to submit a change", form.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void RepresentativeId_IsNotAskedOfANaturalPerson()
    {
        var form = RenderProfile(new EntityProfileInput { Kind = EntityKind.NaturalPerson });

        Assert.Empty(form.FindAll("input[name=legalRepresentativeIdNumber]"));
    }

    [Fact]
    public void ToProfile_WithoutTheRepresentativeId_IsRefusedWithTheRuleTheFormMaps()
    {
        var input = new EntityProfileInput
        {
            Name = "公司", Identifier = "91350100M000100Y43", LegalRepresentative = "张三", RegionCode = "350102",
            Bank = "银行", AccountName = "公司", AccountNumber = "12345678",
        };

        var error = Assert.Throws<DomainRuleException>(() => input.ToProfile(Today));

        Assert.Equal(MarketRules.LegalRepresentativeIdRequired, error.RuleCode);
        input.LegalRepresentativeIdNumber = "350102198001010003";
        Assert.Equal("350102198001010003", input.ToProfile(Today).LegalRepresentativeIdNumber);
    }

    [Fact]
    public void CreditCode_InEnglish_SaysTheSameInEnglish()
    {
        Culture("en");
        var form = RenderProfile(new EntityProfileInput());

        form.Find("input[name=identifier]").Input("91350100M000100Y44");

        form.WaitForAssertion(() => Assert.Contains("The check character does not match", form.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public void Scan_OfARefusedKind_IsExplainedUnderTheUploadButton()
    {
        RenderProviders();
        var input = new QualificationInput();
        var fields = Render<QualificationFields>(p => p
            .Add(f => f.Input, input)
            .Add(f => f.StoreScan, _ => throw new DomainRuleException(DocumentRules.TypeNotAllowed, "no")));

        fields.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("not a scan", "证书.png"));

        fields.WaitForAssertion(() => Assert.Equal("不接受此类文件（按文件内容识别）。", fields.Find("[data-testid=qualification-scan-error]").TextContent));
        Assert.Empty(input.Documents);
    }

    [Fact]
    public void Scan_Stored_IsShownByItsNameAndKeptOnTheQualification()
    {
        RenderProviders();
        var input = new QualificationInput();
        var stored = new ScannedDocument(new string('b', 64), "证书.png");
        var fields = Render<QualificationFields>(p => p
            .Add(f => f.Input, input)
            .Add(f => f.StoreScan, _ => Task.FromResult(stored)));

        fields.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary([0x89, 0x50, 0x4E, 0x47], "证书.png"));

        fields.WaitForAssertion(() => Assert.Contains("已保存：证书.png", fields.Find("[data-testid=qualification-scan]").TextContent, StringComparison.Ordinal));
        Assert.Equal([stored], input.Documents);
    }

    [Theory]
    [InlineData("zh-CN", "所需资质 施工总承包资质 已于 2027-06-30 过期。")]
    [InlineData("en", "The required qualification General contracting expired on 2027-06-30.")]
    public void EligibilityProblem_NamesTheQualificationAndTheDay(string culture, string expected)
    {
        Culture(culture);
        var text = Services.GetRequiredService<IStringLocalizer<MarketResource>>();

        var message = text.Problem(new EligibilityProblem(MarketRules.QualificationExpired, "x", QualificationKinds.GeneralContracting, new DateOnly(2027, 6, 30)));

        Assert.Equal(expected, message);
    }

    [Fact]
    public void EveryMarketRuleCode_HasAMessageInChineseAndEnglish()
    {
        var resources = new ResourceManager("Trading.Workflow.Web.Resources.MarketResource", typeof(MarketResource).Assembly);

        var missing = MarketRules.All
            .SelectMany(code => new[] { "zh-CN", "en" }.Select(culture => (code, culture)))
            .Where(x => resources.GetString($"Rule.{x.code}", CultureInfo.GetCultureInfo(x.culture)) is not { Length: > 0 })
            .ToList();

        Assert.Empty(missing);
        Assert.NotEqual(resources.GetString($"Rule.{MarketRules.NotVerified}", CultureInfo.GetCultureInfo("en")), resources.GetString($"Rule.{MarketRules.NotVerified}", CultureInfo.GetCultureInfo("zh-CN")));
    }
}

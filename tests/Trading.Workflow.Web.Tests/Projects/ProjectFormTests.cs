using AngleSharp.Dom;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Web.Components.Pages.Projects;
using Trading.Workflow.Web.Projects;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.Projects;

/// <summary>The project registration form: the domain's rules as the tenderee types, sections added and removed.</summary>
public sealed class ProjectFormTests : PlatformComponentTest
{
    private static readonly PartyRef Owner = new(Guid.NewGuid(), "演示市城市建设投资有限公司（演示数据）");
    private static readonly PartyRef Agency = new(Guid.NewGuid(), "演示招标代理有限公司（演示数据）");

    public ProjectFormTests()
    {
        Services.AddSingleton(Options.Create(new ProjectProcedureOptions()));
        Services.AddSingleton<ProjectProcedures>();
    }

    private IRenderedComponent<ProjectForm> RenderForm(ProjectFormModel model)
    {
        Render<MudPopoverProvider>();
        return Render<ProjectForm>(p => p
            .Add(f => f.Model, model)
            .Add(f => f.OwnerChoices, [Owner, Agency])
            .Add(f => f.AgencyChoices, [Owner, Agency]));
    }

    private static IElement Input(IRenderedComponent<ProjectForm> form, string testId, int index = 0) =>
        form.FindAll($"input[data-testid={testId}], [data-testid={testId}] input")[index];

    [Fact]
    public void Deposit_AboveTheEngineeringCap_SaysTheCapAsTheUserTypes_AndAtTheCapIsAccepted()
    {
        var model = new ProjectFormModel();
        var form = RenderForm(model);

        Input(form, "section-price").Input("1000000");
        Input(form, "section-deposit").Input("20000.01");

        form.WaitForAssertion(() => Assert.Contains("不超过估算价的 2%（最高 20,000.00 元）", form.Find("[data-testid=project-section]").TextContent, StringComparison.Ordinal));
        Assert.NotEmpty(form.FindAll("[data-testid=project-section] .mud-input-error"));

        Input(form, "section-deposit").Input("20000");

        form.WaitForAssertion(() => Assert.Empty(form.FindAll("[data-testid=project-section] .mud-input-error")));
        Assert.Equal((1_000_000m, 20_000m), (model.Sections[0].EstimatedPrice, model.Sections[0].DepositAmount));
        Assert.NotEmpty(form.FindAll("[data-testid=section-forms-error]")); // a deposit asks for its forms
    }

    [Theory]
    [InlineData("zh-CN", "地区须为六位行政区划代码，例如 530102。")]
    [InlineData("en", "The region is a six-digit division code, e.g. 530102.")]
    public void Region_ThatIsNoDivisionCode_IsRefusedInTheUsersLanguage(string culture, string message)
    {
        Culture(culture);
        var form = RenderForm(new ProjectFormModel());

        Input(form, "project-region").Input("5301");

        form.WaitForAssertion(() => Assert.Contains(message, form.Markup, StringComparison.Ordinal));
        Input(form, "project-region").Input("530102");
        form.WaitForAssertion(() => Assert.DoesNotContain(message, form.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public void Sections_AreAddedAndRemoved_TheLastOneStays()
    {
        var model = new ProjectFormModel();
        var form = RenderForm(model);
        Assert.True(form.Find("[data-testid=section-remove]").HasAttribute("disabled"));

        form.Find("[data-testid=section-add]").Click();
        form.WaitForAssertion(() => Assert.Equal(2, form.FindAll("[data-testid=project-section]").Count));
        Input(form, "section-subject", 1).Input("二标段：室外工程");
        Input(form, "section-price", 1).Input("1200000");
        Input(form, "section-price", 0).Input("5000000");

        form.WaitForAssertion(() => Assert.Contains("6,200,000.00", form.Find("[data-testid=project-total]").TextContent, StringComparison.Ordinal));

        form.FindAll("[data-testid=section-remove]")[0].Click();

        // Under a loaded suite the removal can land after Click() returns: wait for its render, then read the model.
        form.WaitForAssertion(() => Assert.Single(form.FindAll("[data-testid=project-section]")));
        Assert.Equal(["二标段：室外工程"], model.Sections.Select(s => s.Subject));
    }

    [Fact]
    public async Task Validate_AnEmptyForm_IsRefusedAndSaysWhatIsMissing()
    {
        var form = RenderForm(new ProjectFormModel());

        var valid = await form.InvokeAsync(() => form.Instance.ValidateAsync());

        Assert.False(valid);
        form.WaitForAssertion(() =>
        {
            Assert.Contains("请填写项目名称。", form.Markup, StringComparison.Ordinal);
            Assert.Contains("请选择项目业主。", form.Markup, StringComparison.Ordinal);
            Assert.Contains("请填写每个标段的名称或标的。", form.Markup, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Validate_ACompleteForm_IsAccepted_AndBecomesTheServicesInput()
    {
        var model = new ProjectFormModel { OwnerEntityId = Owner.EntityId };
        var form = RenderForm(model);
        Input(form, "project-name").Input("演示学校教学楼新建工程");
        Input(form, "project-region").Input("530102");
        Input(form, "project-industry").Input("房屋建筑");
        Input(form, "section-subject").Input("施工");
        Input(form, "section-price").Input("8600000");

        var valid = await form.InvokeAsync(() => form.Instance.ValidateAsync());

        Assert.True(valid);
        var input = model.ToInput();
        Assert.Equal((TradeTypes.EngineeringConstruction, TradeMethods.OpenTender, Owner.EntityId), (input.TradeType, input.Method, input.OwnerEntityId));
        Assert.Equal(8_600_000m, Assert.Single(input.Sections).Draft.EstimatedPrice);
    }

    [Fact]
    public async Task Agency_FindsItsClientByName_AsTheOwner_AndIsToldToNameItselfAsTheAgency()
    {
        var client = new PartyRef(Guid.NewGuid(), "演示县人民医院（演示数据）");
        var asked = new List<string>();
        var model = new ProjectFormModel();
        var popovers = Render<MudPopoverProvider>();
        var form = Render<ProjectForm>(p => p
            .Add(f => f.Model, model)
            .Add(f => f.OwnerChoices, [Agency])
            .Add(f => f.AgencyChoices, [Agency])
            .Add(f => f.SearchOwners, (text, _) =>
            {
                asked.Add(text);
                return Task.FromResult<IReadOnlyList<PartyRef>>(text == "医院" ? [client] : []);
            }));

        Input(form, "project-owner").Input("医院");
        popovers.WaitForAssertion(() => Assert.Contains(client.Name, popovers.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(5));
        popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Contains(client.Name, StringComparison.Ordinal)).Click();
        form.WaitForAssertion(() => Assert.Equal(client.EntityId, model.OwnerEntityId));
        Input(form, "project-name").Input("演示县人民医院门诊楼改造工程");
        Input(form, "project-region").Input("530102");
        Input(form, "project-industry").Input("房屋建筑");
        Input(form, "section-subject").Input("施工");
        Input(form, "section-price").Input("3000000");

        var withoutAgency = await form.InvokeAsync(() => form.Instance.ValidateAsync());

        Assert.Contains("医院", asked);
        Assert.False(withoutAgency);
        form.WaitForAssertion(() => Assert.Contains("请选择您所代表的代理机构并上传授权书", form.Markup, StringComparison.Ordinal));
        model.AgencyEntityId = Agency.EntityId;
        model.AgencyLetterSha256 = new string('a', 64);
        form.Render(p => p.Add(f => f.Model, model));
        Assert.True(await form.InvokeAsync(() => form.Instance.ValidateAsync()));
        Assert.Equal((client.EntityId, Agency.EntityId), (model.ToInput().OwnerEntityId, model.ToInput().AgencyEntityId));
    }

    [Fact]
    public void AgencyWithoutItsLetter_SaysTheLetterIsNeeded()
    {
        var model = new ProjectFormModel { OwnerEntityId = Owner.EntityId, AgencyEntityId = Agency.EntityId };

        var form = RenderForm(model);

        Assert.Contains("代理机构须上传委托代理合同或授权书。", form.Find("[data-testid=project-agency-letter]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ProcurementProjects_OfferNoCashDepositForm_AndATypeWithoutProcedureSaysSo()
    {
        var model = new ProjectFormModel { TradeType = TradeTypes.GovernmentProcurement, Method = TradeMethods.OpenTender };
        model.Sections[0].DepositAmount = 10_000m;

        var form = RenderForm(model);

        var offered = form.FindAll("[data-testid=section-forms] [data-form]").Select(e => e.GetAttribute("data-form")).ToList();
        Assert.DoesNotContain(nameof(DepositForms.Transfer), offered);
        Assert.Contains(nameof(DepositForms.ElectronicGuarantee), offered);
        Assert.NotEmpty(form.FindAll("[data-testid=project-no-procedure]"));
    }
}

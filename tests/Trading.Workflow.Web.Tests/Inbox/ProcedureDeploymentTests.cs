using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Web.Forms;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Tests.Inbox;

public sealed class ProcedureDeploymentTests(WorkflowFactory factory) : IClassFixture<WorkflowFactory>
{
    private const string OpenTender = "engineering-construction.open-tender";

    [Fact]
    public async Task FirstStart_PublishesOpenTenderAsVersion1UnderItsTradeType()
    {
        var procedures = await factory.App.Services.GetRequiredService<ProcedureCatalog>().ListAsync();

        var openTender = Assert.Single(procedures, p => p.ProcessId == OpenTender);
        Assert.Equal(1, openTender.LatestPublished);
        Assert.Equal(TradeTypes.EngineeringConstruction, openTender.TradeType);
        Assert.Contains("平台默认流程", openTender.Versions[0].ChangeNote);
    }

    [Fact]
    public async Task FirstStart_StoresTheFormsWithVersion1()
    {
        var forms = await factory.App.Services.GetRequiredService<FormStore>().ListAsync(OpenTender, 1);

        Assert.Contains(forms, f => f.FormKey == "submit-announcement");
        Assert.Equal(9, forms.Count);
    }

    [Fact]
    public async Task SecondDeployment_PublishesNothingAgain()
    {
        var published = await factory.App.Services.GetRequiredService<ProcedureDeployer>().DeployAsync();

        Assert.Empty(published);
    }

    [Fact]
    public void ReadinessChecks_IncludeTheWorkflowStore()
    {
        var options = factory.App.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value;

        Assert.Contains(options.Registrations, r => r.Name == "workflow-store" && r.Tags.Contains("ready"));
    }

    [Fact]
    public async Task WorkflowStoreCheck_OnTheAppDatabase_IsHealthy()
    {
        var health = await factory.App.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == "workflow-store");

        Assert.Equal(HealthStatus.Healthy, health.Status);
    }

    [Fact]
    public async Task FirstStart_WritesTheFormsIntoTheProcedureAsTwFormElements()
    {
        var xml = await factory.App.Services.GetRequiredService<Trading.Workflow.Engine.Persistence.Versions.ProcessVersionService>().GetXmlAsync(OpenTender, 1);

        Assert.Contains("submit-announcement", BpmnForms.Read(xml!, OpenTender).Keys);
    }

    [Fact]
    public async Task StoredFormRow_AppliesToLaterVersionsWithoutTheirOwn()
    {
        var forms = factory.App.Services.GetRequiredService<FormStore>();
        await forms.SaveAsync("other.stored-forms", "note", """{ "components": [ { "type": "textarea", "key": "note", "label": "说明" } ] }""", 1, "admin");

        var form = await forms.GetForVersionAsync("other.stored-forms", 3, "note");

        Assert.Equal(1, form?.FromVersion);
    }
}

using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Persistence.Versions;
using Trading.Workflow.Web.Designer;
using Trading.Workflow.Web.Forms;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Designer;

/// <summary>
/// A version carries its task forms: the shipped open-tender procedure revised and published again (by a client that
/// does not keep the forms, as the designer's editor once did) still has every form in every version.
/// </summary>
public sealed class ProcedureFormsTests(DesignerHostingTests.Fixture fixture) : IClassFixture<DesignerHostingTests.Fixture>
{
    private const string OpenTender = "engineering-construction.open-tender";

    [Fact]
    public async Task Publish_DraftSavedWithoutItsForms_NewVersionEmbedsEveryFormOfTheVersionBefore()
    {
        var processId = await PublishShippedCopyAsync("forms_publish");
        var withoutForms = WithoutForms(await Versions.GetXmlAsync(processId, 1), processId);

        await Catalog.SaveDraftAsync(withoutForms, "admin");
        var version = await Catalog.PublishAsync(processId, "admin", "第二版");

        var embedded = BpmnForms.Read((await Versions.GetXmlAsync(processId, version))!, processId);
        Assert.Equal(
            BpmnForms.Read((await Versions.GetXmlAsync(processId, 1))!, processId).Keys.Order(),
            embedded.Keys.Order());
    }

    [Fact]
    public async Task Publish_DraftStoredWithoutFormsBeforeTheFix_NewVersionStillEmbedsThem()
    {
        var processId = await PublishShippedCopyAsync("forms_old_draft");
        await Versions.SaveDraftAsync(WithoutForms(await Versions.GetXmlAsync(processId, 1), processId), "admin");

        var version = await Catalog.PublishAsync(processId, "admin", "第二版");

        Assert.Contains("submit-announcement", BpmnForms.Read((await Versions.GetXmlAsync(processId, version))!, processId).Keys);
    }

    [Fact]
    public async Task TaskForm_OfAVersionPublishedWithoutForms_IsTheFormOfTheVersionBefore()
    {
        var processId = await PublishShippedCopyAsync("forms_lost");
        await Versions.SaveDraftAsync(WithoutForms(await Versions.GetXmlAsync(processId, 1), processId), "admin");
        var lost = (await Versions.PublishAsync(processId, "admin", "forms lost")).Version!.Value;

        var form = await Forms.GetForVersionAsync(processId, lost, "submit-announcement");

        Assert.Equal((1, 9), (form?.FromVersion, (await Forms.ListAsync(processId, lost)).Count));
    }

    [Fact]
    public async Task Republish_KeepsTheFormsOfTheRepublishedVersion()
    {
        var processId = await PublishShippedCopyAsync("forms_republish");
        await Catalog.SaveDraftAsync(WithoutForms(await Versions.GetXmlAsync(processId, 1), processId), "admin");
        await Catalog.PublishAsync(processId, "admin", "第二版");

        var republished = await Catalog.RepublishAsync(processId, 1, "admin", null);

        Assert.Equal(9, (await Forms.ListAsync(processId, republished)).Count);
    }

    [Fact]
    public async Task Republish_WithoutANote_WritesTheNoteInTheCentresLanguage()
    {
        var processId = await PublishShippedCopyAsync("forms_note");

        var republished = await Catalog.RepublishAsync(processId, 1, "admin", " ");

        var note = (await Catalog.GetVersionsAsync(processId)).Single(v => v.Version == republished).ChangeNote;
        Assert.Equal("从版本 1 重新发布", note);
    }

    private IProcedureCatalog Catalog => fixture.Factory.Services.GetRequiredService<IProcedureCatalog>();

    private ProcessVersionService Versions => fixture.Factory.Services.GetRequiredService<ProcessVersionService>();

    private FormStore Forms => fixture.Factory.Services.GetRequiredService<FormStore>();

    /// <summary>The shipped procedure, as the platform published it (forms embedded), under another process id.</summary>
    private async Task<string> PublishShippedCopyAsync(string processId)
    {
        var shipped = (await Versions.GetXmlAsync(OpenTender, 1))!;
        await Versions.SaveDraftAsync(shipped.Replace(OpenTender, processId, StringComparison.Ordinal), "system");
        await Versions.PublishAsync(processId, "system", "shipped");
        return processId;
    }

    private static string WithoutForms(string? xml, string processId)
    {
        var document = XDocument.Parse(xml!);
        document.Descendants(BpmnForms.Tw + "form").Remove();
        Assert.Empty(BpmnForms.Read(document.ToString(), processId));
        return document.ToString();
    }
}

using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Web.Components.Documents;
using Trading.Workflow.Web.Documents;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.Trail;

/// <summary>The reusable upload field: the limits it shows and hands to its script, the progress bar, the result.</summary>
public sealed class DocumentUploadTests : PlatformComponentTest
{
    private readonly BunitJSModuleInterop _module;

    public DocumentUploadTests()
    {
        Services.AddSingleton(Options.Create(new DocumentOptions { MaxBytes = 10 * 1024 * 1024, ChunkedAboveBytes = 2 * 1024 * 1024, AllowedKinds = [FileKind.Pdf, FileKind.Ofd] }));
        _module = JSInterop.SetupModule("./js/document-upload.js");
    }

    private static DocumentResponse Uploaded() => new(
        Guid.NewGuid(), "招标文件.pdf", 1000, "Pdf", "application/pdf", new string('a', 64), new string('b', 64), "tenderee", DateTimeOffset.UtcNow, null, null, false);

    [Fact]
    public void Render_ShowsTheAcceptedKindsAndLimit_AndHandsTheChunkingSettingsToItsScript()
    {
        var project = Guid.NewGuid();

        var cut = Render<DocumentUpload>(p => p.Add(x => x.ProjectId, project));

        Assert.Equal(".pdf,.ofd", cut.Find("[data-testid=upload-input]").GetAttribute("accept"));
        Assert.Contains("10 MB", cut.Find("[data-testid=upload-limits]").TextContent, StringComparison.Ordinal);
        var init = _module.VerifyInvoke("init");
        var options = init.Arguments[2]!;
        Assert.Equal(2L * 1024 * 1024, options.GetType().GetProperty("chunkedAboveBytes")!.GetValue(options));
        Assert.Equal(project, options.GetType().GetProperty("projectId")!.GetValue(options));
    }

    [Fact]
    public async Task ProgressThenCompleted_ShowsTheBarThenTheDocument_AndHandsItToTheForm()
    {
        DocumentResponse? received = null;
        var cut = Render<DocumentUpload>(p => p.Add(x => x.OnUploaded, d => received = d));
        var document = Uploaded();

        await cut.InvokeAsync(() => cut.Instance.Started("招标文件.pdf", 1000));
        await cut.InvokeAsync(() => cut.Instance.Progress(250, 1000));
        var status = cut.Find("[data-testid=upload-status]").TextContent;
        Assert.NotNull(cut.Find("[data-testid=upload-progress]"));
        await cut.InvokeAsync(() => cut.Instance.Completed(document));

        Assert.Contains("25%", status, StringComparison.Ordinal);
        Assert.Same(document, received);
        Assert.Empty(cut.FindAll("[data-testid=upload-progress]"));
        Assert.Contains("招标文件.pdf", cut.Find("[data-testid=upload-done]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failed_ShowsTheServersMessage_AndLetsTheUserChooseAgain()
    {
        var cut = Render<DocumentUpload>();

        await cut.InvokeAsync(() => cut.Instance.Started("伪装.pdf", 1000));
        await cut.InvokeAsync(() => cut.Instance.Failed("文件内容不是允许的类型（按内容判断，而非文件名）。"));

        Assert.Contains("按内容判断", cut.Find("[data-testid=upload-error]").TextContent, StringComparison.Ordinal);
        Assert.False(cut.Find("[data-testid=upload-input]").HasAttribute("disabled"));
    }
}

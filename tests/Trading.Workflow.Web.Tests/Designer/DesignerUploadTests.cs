using System.Text;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Web.Designer;

namespace Trading.Workflow.Web.Tests.Designer;

/// <summary>
/// Issue 16 §5: files given to the designer's import are read as the command line reads them. A 50 MB file got a
/// generic failure there (the size limit of the upload stream), bytes invalid in the declared encoding were silently
/// replaced with U+FFFD; both now get the parser's own answer.
/// </summary>
public sealed class DesignerUploadTests
{
    static DesignerUploadTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static readonly IReadOnlySet<string> NothingDeployed = new HashSet<string>(StringComparer.Ordinal);

    private static DesignerImport Import() => new(new DesignerValidation());

    private static ImportUpload Upload(string name, byte[] bytes) => new(name, bytes.Length, max => new MemoryStream(bytes));

    [Fact]
    public async Task ReadUploads_FileOf50MB_GetsTheCommandLinesSizeMessageWithoutBeingRead()
    {
        var path = Path.Combine(Path.GetTempPath(), $"big-{Guid.NewGuid():N}.bpmn");
        await using (var file = File.Create(path))
        {
            file.SetLength(50L * 1024 * 1024);
        }

        try
        {
            var cli = Assert.Throws<BpmnParseException>(() => BpmnParser.ParseFile(path));
            var big = new ImportUpload("big.bpmn", 50L * 1024 * 1024, _ => throw new InvalidOperationException("a file over the limit is not read"));

            var imported = await Import().ReadUploadsAsync([big], NothingDeployed);

            var problem = Assert.Single(imported.Unreadable);
            Assert.Equal((BpmnParseErrorCodes.TooLarge, cli.MessageZh, cli.MessageEn, "big.bpmn"), (problem.Code, problem.MessageZh, problem.MessageEn, problem.File));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ReadUploads_BytesInvalidInUtf8_AreRefusedAsByTheCommandLine()
    {
        var bytes = Encoding.UTF8.GetBytes(Bpmn.Process(Bpmn.ReviewBody.Replace("name=\"Review\"", "name=\"Review#\"", StringComparison.Ordinal)));
        bytes[Array.IndexOf(bytes, (byte)'#')] = 0xFF;
        var cli = Assert.Throws<BpmnParseException>(() => BpmnParser.Parse(new MemoryStream(bytes)));

        var imported = await Import().ReadUploadsAsync([Upload("bad.bpmn", bytes)], NothingDeployed);

        Assert.False(imported.Readable);
        Assert.Empty(imported.Files);
        var problem = Assert.Single(imported.Unreadable);
        Assert.Equal((BpmnParseErrorCodes.InvalidEncoding, cli.MessageEn, cli.LineNumber), (problem.Code, problem.MessageEn, problem.Line));
    }

    [Fact]
    public async Task ReadUploads_GbkFile_IsDecodedByItsDeclaration()
    {
        var text = Bpmn.Process(Bpmn.ReviewBody.Replace("name=\"Review\"", "name=\"审核\"", StringComparison.Ordinal)).Replace("UTF-8", "GBK", StringComparison.Ordinal);

        var imported = await Import().ReadUploadsAsync([Upload("gbk.bpmn", Encoding.GetEncoding("GBK").GetBytes(text))], NothingDeployed);

        Assert.True(imported.Readable);
        Assert.Contains("name=\"审核\"", Assert.Single(imported.Files).Xml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadUploads_ReadableFileBesideUnreadable_KeepsBoth()
    {
        var good = Upload("good.bpmn", Encoding.UTF8.GetBytes(Bpmn.Process(Bpmn.ReviewBody)));
        var empty = Upload("empty.bpmn", []);

        var imported = await Import().ReadUploadsAsync([good, empty], NothingDeployed);

        Assert.Equal("good.bpmn", Assert.Single(imported.Files).Name);
        Assert.Equal((BpmnParseErrorCodes.Empty, "empty.bpmn"), (Assert.Single(imported.Unreadable).Code, Assert.Single(imported.Unreadable).File));
    }
}

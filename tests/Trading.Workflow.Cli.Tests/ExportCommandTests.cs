using System.Xml.Linq;

namespace Trading.Workflow.Cli.Tests;

public sealed class ExportCommandTests : IDisposable
{
    private static readonly XNamespace Di = "http://www.omg.org/spec/DD/20100524/DI";
    private static readonly XNamespace Dc = "http://www.omg.org/spec/DD/20100524/DC";

    private readonly string _folder = Directory.CreateTempSubdirectory("tw-export-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private const string MiwgFolder = "tests/Trading.Workflow.Engine.Tests/Parsing/Files/Miwg/Reference";

    /// <summary>
    /// Every reference file of the BPMN MIWG suite kept in the engine tests (see its README for the licence), then
    /// every <c>*.bpmn</c> of the folder <c>TRADING_MIWG_DIR</c> names, by full path (a checkout's
    /// <c>bpmn-miwg-test-suite/Reference</c>: the suite's files not kept here). Unset, the kept files still run.
    /// </summary>
    public static TheoryData<string> MiwgFiles()
    {
        var files = Directory.GetFiles(CliRun.SourcePath(MiwgFolder), "*.bpmn").Select(f => $"{MiwgFolder}/{Path.GetFileName(f)}").Order(StringComparer.Ordinal);
        string[] extra = Environment.GetEnvironmentVariable("TRADING_MIWG_DIR") is { Length: > 0 } folder && Directory.Exists(folder)
            ? [.. Directory.GetFiles(folder, "*.bpmn").Select(Path.GetFullPath).Order(StringComparer.Ordinal)]
            : [];
        return new TheoryData<string>([.. files, .. extra]);
    }

    [Fact]
    public void MiwgFiles_AreThere()
    {
        // The theory below must not pass by having nothing to run.
        Assert.True(MiwgFiles().Count >= 6);
    }

    [Theory]
    [InlineData("tests/Trading.Workflow.Engine.Tests/Parsing/Files/RoundTrip/two-diagrams-data-objects.bpmn")]
    [InlineData("tests/Trading.Workflow.Engine.Tests/Parsing/Files/RoundTrip/pools-lanes-foreign.bpmn")]
    [InlineData("tests/Trading.Workflow.Engine.Tests/Parsing/Files/RoundTrip/several-collaborations.bpmn")]
    [MemberData(nameof(MiwgFiles))]
    public async Task Export_OtherModelersFile_KeepsIdsNamesReferencesAndDiagram(string relativePath)
    {
        var input = CliRun.SourcePath(relativePath);
        var output = Path.Combine(_folder, "out.bpmn");

        var run = await CliRun.RunAsync("export", input, output);

        Assert.Equal(0, run.ExitCode);
        var line = Assert.Single(run.Lines);
        Assert.True(line.GetProperty("written").GetBoolean());
        // The command's own comparison found nothing lost, and it compared something.
        Assert.True(line.GetProperty("kept").GetBoolean(), string.Join('\n', line.GetProperty("differences").EnumerateArray()));
        Assert.Equal(0, line.GetProperty("differenceCount").GetInt32());
        Assert.True(line.GetProperty("compared").GetProperty("elements").GetInt32() > 0);
        Assert.True(line.GetProperty("compared").GetProperty("shapesAndEdges").GetInt32() > 0);
        var before = XDocument.Load(input);
        var after = XDocument.Load(output);
        foreach (var element in before.Descendants().Where(e => e.Attribute("id") is not null))
        {
            var id = element.Attribute("id")!.Value;
            var copy = Assert.Single(after.Descendants(), e => e.Attribute("id")?.Value == id);
            Assert.Equal(element.Name, copy.Name);
            foreach (var attribute in new[] { "name", "sourceRef", "targetRef", "bpmnElement", "processRef", "attachedToRef" })
            {
                Assert.Equal(element.Attribute(attribute)?.Value, copy.Attribute(attribute)?.Value);
            }
        }

        Assert.Equal(Geometry(before), Geometry(after));
    }

    [Fact]
    public async Task Export_FlowWithoutId_IsWrittenWithAGeneratedId()
    {
        var output = Path.Combine(_folder, "out.bpmn");

        await CliRun.RunAsync("export", CliRun.SourcePath("tests/Trading.Workflow.Engine.Tests/Parsing/Files/RoundTrip/two-diagrams-data-objects.bpmn"), output);

        var flows = XDocument.Load(output).Descendants(XName.Get("sequenceFlow", "http://www.omg.org/spec/BPMN/20100524/MODEL"));
        Assert.All(flows, f => Assert.False(string.IsNullOrEmpty(f.Attribute("id")?.Value)));
    }

    [Fact]
    public async Task Export_UnparsableFile_ExitsTwoAndWritesNothing()
    {
        var output = Path.Combine(_folder, "out.bpmn");

        var run = await CliRun.RunAsync("export", CliRun.ScenarioPath("malformed.bpmn"), output);

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Lines);
        Assert.False(line.GetProperty("written").GetBoolean());
        Assert.False(string.IsNullOrEmpty(line.GetProperty("error").GetProperty("messageZh").GetString()));
        Assert.False(File.Exists(output));
    }

    private static List<string> Geometry(XDocument document) =>
        [.. document.Descendants().Where(e => e.Name == Dc + "Bounds" || e.Name == Di + "waypoint")
            .Select(e => $"{e.Parent!.Parent?.Attribute("bpmnElement")?.Value ?? e.Parent.Attribute("bpmnElement")?.Value} {e.Name.LocalName} {string.Join(',', e.Attributes().Select(a => a.Value))}")];
}

using System.Xml.Linq;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Tests.Instances;

/// <summary>
/// Names with <c>${...}</c> as people read them (task page, diagram, history, inbox, viewer): evaluated from the instance's
/// variables, and a part that cannot be filled left out with its separator, never shown raw (the 2026-12-03 walk found
/// 审核出让公告：${projectCode} on the land grant's diagram).
/// </summary>
public sealed class DisplayNamesTests
{
    private static readonly Dictionary<string, object?> Land = new(StringComparer.Ordinal)
    {
        ["projectCode"] = "DEMO-CITY-TD-2026-00001",
        ["projectName"] = "演示市 2026-01 号国有建设用地",
        ["estimatedPrice"] = 50_000_000m,
    };

    [Theory]
    [InlineData("审核出让公告：${projectCode}", "审核出让公告：DEMO-CITY-TD-2026-00001")]
    [InlineData("${projectCode} 结果公示", "DEMO-CITY-TD-2026-00001 结果公示")]
    [InlineData("起始价 ${estimatedPrice} 元", "起始价 50000000 元")]
    [InlineData("发布出让公告", "发布出让公告")]
    [InlineData(@"字面 \${projectCode}", "字面 ${projectCode}")]
    public void Render_FillsEachPartFromTheVariables(string name, string shown) =>
        Assert.Equal(shown, DisplayNames.Render(name, Land));

    [Theory]
    [InlineData("审核出让公告：${projectCode}", "审核出让公告")]
    [InlineData("审核出让公告: ${projectCode}", "审核出让公告")]
    [InlineData("审核出让公告（${projectCode}）", "审核出让公告")]
    [InlineData("${projectCode}：审核出让公告", "审核出让公告")]
    [InlineData("审核 ${projectCode} 公告", "审核 公告")]
    [InlineData("审核：${offering.title}", "审核")]
    [InlineData("审核：${projectCode", "审核")]
    [InlineData("${projectCode}", "")]
    public void Render_AMissingVariable_LeavesThePartAndItsSeparatorOut(string name, string shown)
    {
        Assert.Equal(shown, DisplayNames.Render(name, new Dictionary<string, object?>()));
        Assert.Equal(shown, DisplayNames.Render(name, null));
    }

    [Fact]
    public void Render_OnePartMissing_KeepsTheOthers() =>
        Assert.Equal("审核出让公告：DEMO-CITY-TD-2026-00001", DisplayNames.Render("审核出让公告：${projectCode}（${offeringTitle}）", Land));

    [Fact]
    public void Of_NamesEveryElementRendered_AndDiagramRewritesOnlyTheNamesWithAPart()
    {
        var xml = File.ReadAllText(Shipped("land-rights", "land-grant.bpmn"));

        Assert.Equal("审核出让公告：DEMO-CITY-TD-2026-00001", DisplayNames.Of(xml, Land)["reviewOffering"]);
        Assert.Equal("审核出让公告", DisplayNames.Of(xml, null)["reviewOffering"]);
        var diagram = XDocument.Parse(DisplayNames.Diagram(xml, Land)!);
        var names = diagram.Descendants().Select(e => (string?)e.Attribute("name")).OfType<string>().ToList();
        Assert.Contains("发布出让结果公示：DEMO-CITY-TD-2026-00001", names);
        Assert.Contains("发布出让公告", names);
        Assert.DoesNotContain(names, n => n.Contains("${", StringComparison.Ordinal));
        // Everything else is the definition as deployed (timers keep their expressions, the layout its shapes).
        Assert.Contains("${resultDue}", diagram.ToString(), StringComparison.Ordinal);
        Assert.Equal(XDocument.Parse(xml).Descendants().Count(), diagram.Descendants().Count());
    }

    [Fact]
    public void Diagram_WithoutAnyPart_ComesBackAsItIs()
    {
        const string xml = """<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p"><task id="t" name="审核" /></process></definitions>""";
        Assert.Same(xml, DisplayNames.Diagram(xml, Land));
    }

    /// <summary>Every shipped procedure's names: with the variables a project starts with none shows an expression, nor without them.</summary>
    [Fact]
    public void ShippedProcedures_EveryNameWithAPart_ReadsWithoutAnExpression()
    {
        var start = new Dictionary<string, object?>(Land, StringComparer.Ordinal) { ["noticeTitle"] = "出让公告" };
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "workflows"), "*.bpmn", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        var withParts = 0;
        foreach (var file in files)
        {
            var xml = File.ReadAllText(file);
            foreach (var name in XDocument.Parse(xml).Descendants().Select(e => (string?)e.Attribute("name")).OfType<string>().Where(DisplayNames.HasExpression))
            {
                withParts++;
                Assert.DoesNotContain("${", DisplayNames.Render(name, start), StringComparison.Ordinal);
                Assert.False(string.IsNullOrWhiteSpace(DisplayNames.Render(name, null)), $"{Path.GetFileName(file)}: '{name}' reads empty without its variables");
            }

            Assert.DoesNotContain("${", string.Concat(DisplayNames.Of(xml, null).Values), StringComparison.Ordinal);
        }

        Assert.True(withParts >= 20, $"only {withParts} names with a part: are the shipped procedures copied to the test output?");
    }

    private static string Shipped(string folder, string file) => Path.Combine(AppContext.BaseDirectory, "workflows", folder, file);
}

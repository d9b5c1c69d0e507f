using System.Globalization;
using System.Xml.Linq;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Tests.Instances;

/// <summary>
/// Names in the reader's language: an element's English name (tw:nameEn) in English, its name in Chinese and wherever it
/// has no English name; a task's English name takes the parts the engine filled into its stored name.
/// </summary>
public sealed class EnglishNamesTests
{
    private const string Xml = """
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:tw="http://trading.workflow/schema/bpmn" id="d">
          <bpmn:process id="p" name="公告审核" tw:nameEn="Notice review" isExecutable="true">
            <bpmn:userTask id="review" name="审核招标公告：${projectCode}" tw:nameEn="Review the tender notice: ${projectCode}" />
            <bpmn:userTask id="plain" name="登记" />
            <bpmn:userTask id="blank" name="发布" tw:nameEn=" " />
          </bpmn:process>
        </bpmn:definitions>
        """;

    [Fact]
    public void DefinitionNames_InEnglish_AreTheEnglishNames_AndTheNameWhereThereIsNone()
    {
        var names = DefinitionNames.Read(Xml, "p");

        InCulture("en", () =>
        {
            Assert.Equal("Notice review", names.ProcessName);
            Assert.Equal("Review the tender notice: E-1", names.ElementName("review", new Dictionary<string, object?> { ["projectCode"] = "E-1" }));
            Assert.Equal("登记", names.ElementName("plain"));
            Assert.Equal("发布", names.ElementName("blank"));
        });
        InCulture("zh-CN", () =>
        {
            Assert.Equal("公告审核", names.ProcessName);
            Assert.Equal("审核招标公告", names.ElementName("review"));
            Assert.Equal("登记", names.ElementName("plain"));
        });
    }

    [Fact]
    public void TaskName_InEnglish_TakesThePartsTheEngineFilledIntoTheStoredName()
    {
        var names = DefinitionNames.Read(Xml, "p");

        InCulture("en", () =>
        {
            Assert.Equal("Review the tender notice: E-2026-001", names.Localized("review", "审核招标公告：E-2026-001"));
            // A part the engine could not fill stays for the page to fill or leave out.
            Assert.Equal("Review the tender notice", DisplayNames.Render(names.Localized("review", "审核招标公告：${projectCode}"), null));
            Assert.Equal("登记", names.Localized("plain", "登记"));
            Assert.Equal("Review: E-1 (lot 2)", DisplayNames.TaskName("审核 E-1（2）", "审核 ${code}（${lot}）", "Review: ${code} (lot ${lot})"));
        });
        InCulture("zh-CN", () => Assert.Equal("审核招标公告：E-2026-001", names.Localized("review", "审核招标公告：E-2026-001")));
    }

    [Fact]
    public void Diagram_InEnglish_LabelsTheElementsWithTheirEnglishNames_AndInChineseComesBackAsItIs()
    {
        var variables = new Dictionary<string, object?> { ["projectCode"] = "E-1" };

        InCulture("en", () =>
        {
            var labels = XDocument.Parse(DisplayNames.Diagram(Xml, variables)!).Descendants()
                .Where(e => e.Attribute("id") is not null && e.Attribute("name") is not null)
                .ToDictionary(e => (string)e.Attribute("id")!, e => (string)e.Attribute("name")!);
            Assert.Equal("Review the tender notice: E-1", labels["review"]);
            Assert.Equal("Notice review", labels["p"]);
            Assert.Equal("登记", labels["plain"]);
            Assert.Equal("Review the tender notice: E-1", DisplayNames.Of(Xml, variables)["review"]);
        });
        const string plain = """<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:tw="http://trading.workflow/schema/bpmn"><process id="p"><task id="t" name="审核" tw:nameEn="Review" /></process></definitions>""";
        InCulture("zh-CN", () => Assert.Same(plain, DisplayNames.Diagram(plain, variables)));
    }

    [Fact]
    public void Diagram_InEnglish_WidensTheNarrowLabelsOfEventsAndFlows_ToTheEnglishText()
    {
        var xml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "workflows", "kernel", "notice-review.bpmn"));
        XNamespace di = "http://www.omg.org/spec/BPMN/20100524/DI", dc = "http://www.omg.org/spec/DD/20100524/DC";
        static (double X, double Width) Label(XDocument d, XNamespace di, XNamespace dc, string id)
        {
            var bounds = d.Descendants().Single(e => (string?)e.Attribute("bpmnElement") == id).Element(di + "BPMNLabel")!.Element(dc + "Bounds")!;
            return ((double)bounds.Attribute("x")!, (double)bounds.Attribute("width")!);
        }

        var original = XDocument.Parse(xml);
        InCulture("en", () =>
        {
            var english = XDocument.Parse(DisplayNames.Diagram(xml, null)!);
            // "通过" was 24 wide: "Approved" gets 8 × 7, from the same left edge (the label sits beside its line).
            Assert.Equal((Label(original, di, dc, "f_approved").X, 56.0), Label(english, di, dc, "f_approved"));
            // An event's label widens about its centre.
            var (x, width) = Label(original, di, dc, "published");
            Assert.Equal((x + (width / 2) - 31.5, 63.0), Label(english, di, dc, "published"));
        });
        InCulture("zh-CN", () => Assert.Equal(Label(original, di, dc, "f_approved"), Label(XDocument.Parse(DisplayNames.Diagram(xml, null)!), di, dc, "f_approved")));
    }

    /// <summary>Every named element of every shipped procedure has an English name, using only the parts its name has.</summary>
    [Fact]
    public void ShippedProcedures_EveryNamedElementHasAnEnglishName()
    {
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "workflows"), "*.bpmn", SearchOption.AllDirectories);
        Assert.True(files.Length >= 5, $"only {files.Length} shipped procedures: are they copied to the test output?");
        var named = 0;
        foreach (var file in files)
        {
            foreach (var element in XDocument.Load(file).Descendants().Where(e => e.Attribute("name") is not null))
            {
                // Messages, signals and errors are correlated by their name; nobody reads it.
                if (element.Name.LocalName is "message" or "signal" or "error" or "escalation" || element.Name.NamespaceName != "http://www.omg.org/spec/BPMN/20100524/MODEL")
                {
                    continue;
                }

                named++;
                var where = $"{Path.GetFileName(file)} {element.Name.LocalName} '{(string?)element.Attribute("id")}'";
                var english = (string?)element.Attribute(DisplayNames.NameEn);
                Assert.False(string.IsNullOrWhiteSpace(english), $"{where} has no tw:nameEn");
                Assert.DoesNotMatch(@"\p{IsCJKUnifiedIdeographs}", english!);
                var parts = Parts((string)element.Attribute("name")!);
                Assert.All(Parts(english!), part => Assert.Contains(part, parts));
            }
        }

        Assert.True(named >= 230, $"only {named} named elements");
    }

    /// <summary>
    /// Every element of every shipped procedure that has documentation has it in English too (tw:documentationEn), with
    /// no Chinese and only the parts its documentation has.
    /// </summary>
    [Fact]
    public void ShippedProcedures_EveryDocumentedElementHasAnEnglishDocumentation()
    {
        XNamespace bpmn = "http://www.omg.org/spec/BPMN/20100524/MODEL";
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "workflows"), "*.bpmn", SearchOption.AllDirectories);
        Assert.True(files.Length >= 5, $"only {files.Length} shipped procedures: are they copied to the test output?");
        var documented = 0;
        foreach (var file in files)
        {
            foreach (var element in XDocument.Load(file).Descendants().Where(e => e.Elements(bpmn + "documentation").Any(d => !string.IsNullOrWhiteSpace(d.Value))))
            {
                documented++;
                var where = $"{Path.GetFileName(file)} {element.Name.LocalName} '{(string?)element.Attribute("id")}'";
                var english = (string?)element.Attribute(DisplayNames.DocumentationEn);
                Assert.False(string.IsNullOrWhiteSpace(english), $"{where} has documentation and no tw:documentationEn");
                Assert.False(System.Text.RegularExpressions.Regex.IsMatch(english!, @"\p{IsCJKUnifiedIdeographs}|\p{IsCJKSymbolsandPunctuation}|\p{IsHalfwidthandFullwidthForms}"), $"{where}: tw:documentationEn holds Chinese");
                var parts = element.Elements(bpmn + "documentation").SelectMany(d => Parts(d.Value)).ToList();
                Assert.All(Parts(english!), part => Assert.Contains(part, parts));
            }
        }

        Assert.True(documented >= 72, $"only {documented} documented elements");
    }

    [Fact]
    public void TaskDocumentation_InEnglish_TakesThePartsTheEngineFilledIntoTheStoredOne_AndInChineseIsAsStored()
    {
        const string xml = """
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:tw="http://trading.workflow/schema/bpmn" id="d">
              <bpmn:process id="p" isExecutable="true">
                <bpmn:userTask id="review" name="审核" tw:documentationEn="Check the notice of ${projectCode} (lot ${lot}).">
                  <bpmn:documentation>核对 ${projectCode} 的公告</bpmn:documentation>
                  <bpmn:documentation>（第 ${lot} 标段）。</bpmn:documentation>
                </bpmn:userTask>
                <bpmn:userTask id="plain" name="登记"><bpmn:documentation>登记日期。</bpmn:documentation></bpmn:userTask>
                <bpmn:userTask id="blank" name="发布" tw:documentationEn=" "><bpmn:documentation>发布。</bpmn:documentation></bpmn:userTask>
              </bpmn:process>
            </bpmn:definitions>
            """;
        var names = DefinitionNames.Read(xml, "p");
        // The engine joins a task's documentation texts with a line break and fills the parts it can.
        const string stored = "核对 E-7 的公告\n（第 2 标段）。";

        InCulture("en", () =>
        {
            Assert.Equal("Check the notice of E-7 (lot 2).", names.LocalizedDocumentation("review", stored));
            // A part the engine could not fill stays for the page to fill from the variables, or to leave out.
            Assert.Equal("Check the notice of E-7 (lot 3).", DisplayNames.Render(names.LocalizedDocumentation("review", "核对 E-7 的公告\n（第 ${lot} 标段）。"), new Dictionary<string, object?> { ["lot"] = 3m }));
            Assert.Equal("登记日期。", names.LocalizedDocumentation("plain", "登记日期。"));
            Assert.Equal("发布。", names.LocalizedDocumentation("blank", "发布。"));
        });
        InCulture("zh-CN", () => Assert.Equal(stored, names.LocalizedDocumentation("review", stored)));
    }

    private static List<string> Parts(string name) =>
        System.Text.RegularExpressions.Regex.Matches(name, @"\$\{[^}]*\}").Select(m => m.Value).ToList();

    private static void InCulture(string name, Action action)
    {
        var (culture, ui) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(name);
        try
        {
            action();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, ui);
        }
    }
}

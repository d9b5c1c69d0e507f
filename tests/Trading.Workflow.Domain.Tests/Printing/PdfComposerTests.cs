using System.Text;
using Trading.Workflow.Domain.Printing;

namespace Trading.Workflow.Domain.Tests.Printing;

public sealed class PdfComposerTests
{
    private static readonly PrintHeader Header = new(
        Guid.Parse("6f1c1e4e-8a0e-4f7e-9a59-3a1d1b2c3d4e"), new DateTimeOffset(2026, 12, 3, 2, 30, 0, TimeSpan.Zero),
        "E5301020001", "演示学校教学楼新建工程", "https://ggzy.example.gov.cn/verify/6f1c1e4e-8a0e-4f7e-9a59-3a1d1b2c3d4e");

    private static OfficialDocumentSpec Spec(params DocumentBlock[] blocks) =>
        new(Guid.NewGuid(), OfficialDocumentKinds.AwardNotice, "中标通知书", "测试市公共资源交易中心",
            blocks.Length > 0 ? blocks : [new ParagraphBlock("经评标委员会评审，确定贵单位为中标人。")], DocumentAudience.StaffOnly)
        { Number = "中标〔2026〕第 12 号" };

    [Fact]
    public void Render_PrintsChineseTextWithTheEmbeddedCjkFont()
    {
        var pdf = PdfComposer.Render(Spec(
            new HeadingBlock("一、中标结果"),
            new FieldsBlock([new("中标人", "演示建筑工程有限公司"), new("中标价", "4,812,300.00 元")]),
            new TableBlock(["排序", "中标候选人"], [["1", "演示建筑工程有限公司"], ["2", "示范路桥集团"]])), Header);

        var text = PdfReading.Text(pdf);
        Assert.Contains("中标通知书", text);
        Assert.Contains("演示建筑工程有限公司", text);
        Assert.Contains("示范路桥集团", text);
        Assert.Contains("中标〔2026〕第12号".Replace(" ", string.Empty, StringComparison.Ordinal), text.Replace(" ", string.Empty, StringComparison.Ordinal));
        Assert.Contains("E5301020001", text);
        Assert.Contains("第1页共1页", text.Replace(" ", string.Empty, StringComparison.Ordinal));

        // One font, embedded as TrueType outlines (FontFile2), subset: nothing to install to read it.
        var font = Assert.Single(PdfReading.FontNames(pdf));
        Assert.Matches("^[A-Z]{6}\\+WenQuanYi Micro Hei$", font);
        Assert.Contains("/FontFile2", Encoding.Latin1.GetString(pdf), StringComparison.Ordinal);
        Assert.True(pdf.Length < 400_000, $"The font is embedded as a subset ({pdf.Length} bytes).");
    }

    [Fact]
    public void Render_DrawsAQrCodeThatDecodesToTheVerifyAddress()
    {
        var pdf = PdfComposer.Render(Spec(), Header);

        Assert.Equal(Header.VerifyUrl, PdfReading.DecodeQr(pdf));
    }

    [Fact]
    public void Render_LongTableRunsOverPagesAndRepeatsItsHeader()
    {
        var rows = Enumerable.Range(1, 120).Select(i => (IReadOnlyList<string>)[i.ToString(System.Globalization.CultureInfo.InvariantCulture), $"第{i}号投标人建筑工程有限公司", "1,000,000.00"]).ToList();
        var pdf = PdfComposer.Render(Spec(new TableBlock(["序号", "投标人名称", "报价"], rows)), Header);

        var pages = PdfReading.Pages(pdf);
        Assert.True(pages >= 3, $"120 rows take several pages ({pages}).");
        var text = PdfReading.Text(pdf);
        Assert.Contains("第120号投标人建筑工程有限公司", text);
        Assert.Equal(pages, CountOf(text, "投标人名称"));
        Assert.Equal(Header.VerifyUrl, PdfReading.DecodeQr(pdf));
    }

    [Fact]
    public void Render_WrapsAParagraphLongerThanALine()
    {
        var sentence = string.Concat(Enumerable.Repeat("依法必须进行招标的项目，招标人应当自收到评标报告之日起三日内公示中标候选人。", 12));
        var pdf = PdfComposer.Render(Spec(new ParagraphBlock(sentence)), Header);

        Assert.Contains("公示中标候选人", PdfReading.Text(pdf));
    }

    [Fact]
    public void FontResolver_RecognisesTrueTypeAndRefusesCff()
    {
        var shipped = typeof(CjkFontResolver).Assembly.GetManifestResourceStream("Trading.Workflow.Domain.Printing.WenQuanYiMicroHei.ttf");
        Assert.NotNull(shipped);
        using var copy = new MemoryStream();
        shipped.CopyTo(copy);
        Assert.True(CjkFontResolver.IsTrueType(copy.ToArray()));
        Assert.False(CjkFontResolver.IsTrueType("OTTO\0\u0001\0\0\0\0\0\0"u8.ToArray()));
        Assert.False(CjkFontResolver.IsTrueType([1, 2, 3]));
    }

    [Fact]
    public void Options_RefuseAFontPathThatIsNotTrueType()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, "OTTO\0\u0001\0\0\0\0\0\0"u8.ToArray());
            var problems = new PrintingOptions { FontPath = path, PortalBaseUrl = "ftp://x" }.Validate().ToList();
            Assert.Contains(problems, p => p.Contains("TrueType", StringComparison.Ordinal));
            Assert.Contains(problems, p => p.Contains("PortalBaseUrl", StringComparison.Ordinal));
            Assert.Empty(new PrintingOptions { PortalBaseUrl = "https://ggzy.example.gov.cn" }.Validate());
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}

using Trading.Workflow.Domain.Notices;

namespace Trading.Workflow.Domain.Tests.Notices;

/// <summary>A notice's file downloads under a readable name that Windows accepts.</summary>
public sealed class NoticeFileNameTests
{
    [Fact]
    public void Of_JoinsTheKindTheProjectCodeAndTheRest()
    {
        Assert.Equal("中标通知书-GC-530100-2026-0001-01-演示甲联建筑工程有限公司（演示数据）.pdf",
            NoticeFileName.Of(".pdf", "中标通知书", "GC-530100-2026-0001", "01", "演示甲联建筑工程有限公司（演示数据）"));
    }

    [Theory]
    [InlineData("a<b>c:d\"e/f\\g|h?i*j", "a_b_c_d_e_f_g_h_i_j.pdf")]
    [InlineData("成交确认书 \t第一号. ", "成交确认书 第一号.pdf")]
    [InlineData("CON", "_CON.pdf")]
    [InlineData("lpt1.报告", "_lpt1.报告.pdf")]
    [InlineData("  ", "notice.pdf")]
    public void Of_MakesTheNameSafeOnWindows(string title, string expected)
    {
        Assert.Equal(expected, NoticeFileName.Of(".pdf", title));
    }

    [Fact]
    public void Of_SkipsEmptyParts_AndCutsALongName_NeverInsideACharacter()
    {
        Assert.Equal("成交确认书-GC-1.pdf", NoticeFileName.Of(".pdf", "成交确认书", null, " ", "GC-1"));

        // 61 + 2 × 60 characters: the cut at 116 falls inside a surrogate pair (𠀀), so it takes one character less.
        var name = NoticeFileName.Of(".pdf", new string('标', 61) + string.Concat(Enumerable.Repeat("𠀀", 60)));
        Assert.Equal(NoticeFileName.MaxLength - 1, name.Length);
        Assert.EndsWith("𠀀.pdf", name, StringComparison.Ordinal);
        Assert.Equal(NoticeFileName.MaxLength, NoticeFileName.Of(".pdf", new string('标', 200)).Length);
    }
}

using System.Globalization;

namespace Trading.Workflow.Web.Tests.Localization;

/// <summary>A label's colon and a list's separator follow the UI language (English pages showed 名称： and 甲、乙).</summary>
public sealed class PunctuationTests
{
    [Theory]
    [InlineData("zh-CN", "：", "银行保函、保险保单")]
    [InlineData("en", ": ", "银行保函, 保险保单")]
    public void ColonAndList_FollowTheUiCulture(string culture, string colon, string list)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            Assert.Equal(colon, Punctuation.Colon);
            Assert.Equal(list, Punctuation.List(["银行保函", "保险保单"]));
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }
}

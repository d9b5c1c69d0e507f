using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Web.EngineeringConstruction;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.EngineeringConstruction;

/// <summary>Every rule the tender refuses with is told in the user's language, never as the generic message.</summary>
public sealed class TenderRuleMessagesTests : PlatformComponentTest
{
    public static TheoryData<string> Codes() =>
        [.. typeof(TenderRules).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!)];

    [Theory]
    [MemberData(nameof(Codes))]
    public void EveryTenderRule_HasItsOwnMessage_InChineseAndEnglish(string code)
    {
        var text = Services.GetRequiredService<IStringLocalizer<TenderResource>>();
        foreach (var culture in new[] { "zh-CN", "en" })
        {
            Culture(culture);
            Assert.NotEqual(text["Rule.Unknown"].Value, TenderWeb.Rule(text, code));
        }
    }

    [Fact]
    public void SaleStartingInThePast_IsToldInBothLanguages()
    {
        var text = Services.GetRequiredService<IStringLocalizer<TenderResource>>();
        Assert.StartsWith("发售开始时间不能早于当前时间", TenderWeb.Rule(text, TenderRules.SaleStartsInPast), StringComparison.Ordinal);
        Culture("en");
        Assert.StartsWith("The sale cannot start in the past", TenderWeb.Rule(text, TenderRules.SaleStartsInPast), StringComparison.Ordinal);
    }

    [Fact]
    public void Countdown_SaysDaysInTheUsersLanguage()
    {
        var text = Services.GetRequiredService<IStringLocalizer<TenderResource>>();
        var left = new TimeSpan(34, 11, 16, 42);
        Assert.Equal("34天 11:16:42", TenderWeb.Countdown(text, left));
        Assert.Equal("11:16:42", TenderWeb.Countdown(text, left - TimeSpan.FromDays(34)));
        Culture("en");
        Assert.Equal("34d 11:16:42", TenderWeb.Countdown(text, left));
    }
}

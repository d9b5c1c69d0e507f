using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Notifications;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Localization;

/// <summary>
/// Every notification the platform sends has an English text without Chinese in it (the English notices cited
/// "(条例 22)" and counted "10 日"); names and other values filled in at sending time may be Chinese.
/// </summary>
public sealed partial class NotificationEnglishTests
{
    [Fact]
    public void EveryRegisteredTemplate_HasEnglishWithoutChineseCharacters()
    {
        using var factory = new PlatformFactory();
        var templates = factory.Services.GetRequiredService<NotificationTemplates>().All;

        var offenders = templates
            .Where(t => Chinese().IsMatch(t.TitleEn) || Chinese().IsMatch(t.BodyEn))
            .Select(t => $"{t.Key}: {t.TitleEn} / {t.BodyEn}")
            .ToList();

        Assert.True(templates.Count > 50, $"only {templates.Count} templates registered");
        Assert.True(offenders.Count == 0, "English notification texts with Chinese:\n" + string.Join("\n", offenders));
    }

    [GeneratedRegex(@"[\u3000-\u303F\u3400-\u9FFF\uFF00-\uFFEF]")]
    private static partial Regex Chinese();
}

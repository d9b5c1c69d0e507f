using Trading.Workflow.Domain.Notifications;
using Trading.Workflow.Domain.Notifications.Rules;

namespace Trading.Workflow.Domain.Tests.Notifications;

public sealed class NotificationTemplateTests
{
    private static readonly NotificationTemplate Approved = new(
        "market.entity.approved",
        "市场主体已通过核验：{entity}",
        "贵单位“{entity}”的注册信息已于 {date} 通过核验。",
        "Registration verified: {entity}",
        "The registration of \"{entity}\" was verified on {date}.");

    private static readonly Dictionary<string, string> Values = new() { ["entity"] = "演示建设有限公司", ["date"] = "2026-12-02" };

    [Fact]
    public void Render_InChinese_FillsThePlaceholders()
    {
        var text = Approved.Render(NotificationLanguage.Chinese, Values);

        Assert.Equal("市场主体已通过核验：演示建设有限公司", text.Title);
        Assert.Equal("贵单位“演示建设有限公司”的注册信息已于 2026-12-02 通过核验。", text.Body);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("en-US")]
    [InlineData("EN-gb")]
    public void Render_InAnyEnglishCulture_UsesTheEnglishText(string language)
    {
        var text = Approved.Render(language, Values);

        Assert.Equal("Registration verified: 演示建设有限公司", text.Title);
        Assert.StartsWith("The registration of", text.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("zh-CN")]
    [InlineData("fr")]
    public void Render_WithoutAnEnglishPreference_IsChinese(string? language) =>
        Assert.Equal("市场主体已通过核验：演示建设有限公司", Approved.Render(language!, Values).Title);

    [Fact]
    public void Fill_KeepsAMissingPlaceholderVisibleAndUnescapesDoubledBraces() =>
        Assert.Equal("{a} and {b} = 2", NotificationTemplate.Fill("{{a}} and {b} = {two}", new Dictionary<string, string> { ["two"] = "2" }));

    [Theory]
    [InlineData("营业执照扫描件缺失。", "原因：营业执照扫描件缺失。请修改后重新提交。")]
    [InlineData("营业执照扫描件缺失！", "原因：营业执照扫描件缺失！请修改后重新提交。")]
    [InlineData("营业执照扫描件缺失", "原因：营业执照扫描件缺失。请修改后重新提交。")]
    public void Fill_AReasonEndingItsSentence_DoesNotDoubleTheFullStop(string reason, string expected) =>
        Assert.Equal(expected, NotificationTemplate.Fill("原因：{reason}。请修改后重新提交。", new Dictionary<string, string> { ["reason"] = reason }));

    [Fact]
    public void Fill_AnEnglishReasonEndingItsSentence_DoesNotDoubleTheFullStop() =>
        Assert.Equal("Reason: no licence. Please correct it.", NotificationTemplate.Fill("Reason: {reason}. Please correct it.", new Dictionary<string, string> { ["reason"] = "no licence." }));

    [Fact]
    public void Render_TheReturnedRegistration_ReadsWithOneFullStop() =>
        Assert.Equal(
            "交易中心退回了贵单位的注册信息，原因：营业执照扫描件缺失。请修改后重新提交。",
            MarketNotificationRules.ReturnedTemplate.Render(NotificationLanguage.Chinese, new Dictionary<string, string> { ["reason"] = "营业执照扫描件缺失。" }).Body);

    [Fact]
    public void Placeholders_NamesEveryPlaceholderOfBothLanguages() =>
        Assert.Equal(["date", "entity"], Approved.Placeholders().Order(StringComparer.Ordinal));

    [Fact]
    public void TaskTemplates_UseTheSamePlaceholdersAsTheTaskObserverFills()
    {
        foreach (var template in new[] { KernelNotificationRules.TaskOfferedTemplate, KernelNotificationRules.TaskAssignedTemplate })
        {
            Assert.Equal(["subject", "subjectEn", "task"], template.Placeholders().Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void Templates_RegisteredTwice_AreRefused() =>
        Assert.Throws<InvalidOperationException>(() => new NotificationTemplates([Approved, Approved]));

    [Fact]
    public void Notification_LinkingOutsideTheApplication_IsRefused()
    {
        var ex = Assert.Throws<DomainRuleException>(() => Notification.Create(
            "u", "trail:1", "t", "zh-CN", new RenderedNotification("t", "b"), "//evil.example/x", null, DateTimeOffset.UnixEpoch));

        Assert.Equal("notifications.link.not-local", ex.RuleCode);
    }
}

public sealed class NotificationDeliveryTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void MarkFailed_WithAttemptsLeft_IsPendingAgainAfterTheDelay()
    {
        var delivery = NotificationDelivery.Create(Guid.NewGuid(), NotificationChannels.Sms, "13800000000", Now);

        delivery.MarkFailed("gateway timeout", permanent: false, maxAttempts: 3, Now, TimeSpan.FromMinutes(1));

        Assert.Equal(DeliveryState.Pending, delivery.State);
        Assert.Equal(Now.AddMinutes(1), delivery.NextAttemptAt);
        Assert.Equal("gateway timeout", delivery.LastError);
    }

    [Fact]
    public void MarkFailed_Permanently_IsFailedWithTheReason()
    {
        var delivery = NotificationDelivery.Create(Guid.NewGuid(), NotificationChannels.Email, "not-an-address", Now);

        delivery.MarkFailed("not an email address", permanent: true, maxAttempts: 5, Now, TimeSpan.FromMinutes(1));

        Assert.Equal(DeliveryState.Failed, delivery.State);
        Assert.Equal("not an email address", delivery.LastError);
    }

    [Fact]
    public void RetryDelay_DoublesWithEachFailedAttempt()
    {
        var options = new NotificationOptions { FirstRetryDelay = TimeSpan.FromSeconds(30) };

        Assert.Equal(
            [TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120)],
            new[] { 1, 2, 3 }.Select(options.RetryDelay));
    }
}

using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Store;
using Trading.Workflow.Web.Components.Pages.Trail;
using Trading.Workflow.Web.Tests.Components;
using Trading.Workflow.Web.Trail;

namespace Trading.Workflow.Web.Tests.Trail;

/// <summary>The supervisors' verifier page: it names the first broken link of each chain and pages the audit log.</summary>
public sealed class TrailVerificationPageTests : PlatformComponentTest
{
    private static readonly Guid BrokenInstance = Guid.NewGuid();

    private sealed class FakeSupervision(TrailVerificationReport report, AuditLogPage log) : ITrailSupervision
    {
        public List<AuditLogFilter> Filters { get; } = [];

        public Task<TrailVerificationReport> VerifyAsync(CancellationToken cancellationToken = default) => Task.FromResult(report);

        public Task<AuditLogPage> QueryLogAsync(AuditLogFilter filter, int skip, int take, CancellationToken cancellationToken = default)
        {
            Filters.Add(filter);
            return Task.FromResult(log);
        }
    }

    private static AuditEntry Entry(long sequence, string action) =>
        new(sequence, DateTimeOffset.UtcNow, "staff", null, "document", "d1", action, "{\"documentId\":\"d1\"}", new byte[32], Enumerable.Repeat((byte)0xab, 32).ToArray());

    private const string MarketStaffId = "7595d4d9-b610-4616-a64d-bbe10ad65aef";

    // The market part records the staff member's account id as the actor.
    private sealed class OneAccount : IUserDirectory
    {
        private static readonly UserAccount Staff = new("staff", MarketStaffId, "演示工作人员", null, null, [PlatformRoles.Staff], null, false);

        public Task<UserAccount?> FindByUserNameAsync(string userName, CancellationToken cancellationToken = default) =>
            Task.FromResult(userName == Staff.UserName ? Staff : null);

        public Task<IReadOnlyList<UserAccount>> FindByAccountIdsAsync(IReadOnlyCollection<string> accountIds, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<UserAccount>>(accountIds.Contains(Staff.AccountId) ? [Staff] : []);

        public Task<IReadOnlyList<UserAccount>> InRoleAsync(string role, Guid? centreId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<UserAccount>>([]);
    }

    private FakeSupervision _supervision = null!;

    private IRenderedComponent<TrailVerification> RenderPage(TrailVerificationReport report, params AuditEntry[] log) => RenderPageAt(null, report, log);

    private IRenderedComponent<TrailVerification> RenderPageAt(string? address, TrailVerificationReport report, params AuditEntry[] log)
    {
        SignIn("supervisor", PlatformRoles.Supervisor);
        _supervision = new FakeSupervision(report, new AuditLogPage(log, log.Length));
        Services.AddSingleton<ITrailSupervision>(_supervision);
        Services.AddSingleton<IUserDirectory, OneAccount>();
        RenderProviders();
        if (address is not null)
        {
            Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo(address);
        }

        return Render<TrailVerification>();
    }

    private static TrailVerificationReport IntactReport() =>
        new(ChainVerification.Intact(1), new HistoryChainSummary(0, 0, 0, [], false), DateTimeOffset.UtcNow);

    [Fact]
    public void Verify_BrokenChains_NamesTheFirstBrokenRecordOfEach()
    {
        var report = new TrailVerificationReport(
            ChainVerification.Broken(2, 3, ChainBreak.ContentChanged),
            new HistoryChainSummary(5, 40, 0, [HistoryChainReport.Broken(BrokenInstance, 4, 17, HistoryChainBreak.PositionGap, 0)], false),
            DateTimeOffset.UtcNow);
        var cut = RenderPage(report);

        cut.Find("[data-testid=trail-verify-run]").Click();

        cut.WaitForAssertion(() => Assert.Contains("第 3 条", cut.Find("[data-testid=trail-trade-broken]").TextContent, StringComparison.Ordinal));
        Assert.Contains("记录内容被改动", cut.Find("[data-testid=trail-trade-broken]").TextContent, StringComparison.Ordinal);
        var row = cut.Find("[data-testid=trail-engine-breaks] tbody tr");
        Assert.Contains(BrokenInstance.ToString(), row.TextContent, StringComparison.Ordinal);
        Assert.Contains("有记录被删除", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("17", row.TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=trail-trade-intact]"));
    }

    [Fact]
    public void Verify_IntactChains_SaysSo_AndTheLogShowsItsRecords()
    {
        var report = new TrailVerificationReport(ChainVerification.Intact(12), new HistoryChainSummary(3, 30, 2, [], false), DateTimeOffset.UtcNow);
        var cut = RenderPage(report, Entry(12, "documents.document.downloaded"));

        cut.Find("[data-testid=trail-verify-run]").Click();

        cut.WaitForAssertion(() => Assert.Contains("12", cut.Find("[data-testid=trail-trade-intact]").TextContent, StringComparison.Ordinal));
        Assert.NotNull(cut.Find("[data-testid=trail-engine-intact]"));
        cut.WaitForAssertion(() => Assert.Contains("documents.document.downloaded", cut.Find("[data-testid=trail-log]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void LogRecord_LongData_ShowsOneLineInTheRow_AndTheWholeRecordReadablyWhenOpened()
    {
        var data = "{\"recordId\":\"bdae77a7-2a1c-4917-8059-4c38f2faea90\",\"subjectName\":\"演示丙联建筑工程有限公司（演示数据）\",\"legalBasis\":\"《招标投标法实施条例》第六十七条\"}";
        var entry = Entry(69, "credit.record.recorded") with { Data = data };
        var cut = RenderPage(IntactReport(), entry);

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=trail-data]")));
        var summary = cut.Find("[data-testid=trail-data] summary").TextContent;
        Assert.Equal(data[..60] + "…", summary);
        var full = cut.Find("[data-testid=trail-data-full]").TextContent;
        // Pretty-printed, one member a line, the Chinese as itself.
        Assert.Contains("\"subjectName\": \"演示丙联建筑工程有限公司（演示数据）\"", full, StringComparison.Ordinal);
        Assert.Equal(4, full.Split('\n').Length - 1);
    }

    [Fact]
    public void LogRecord_ActorRecordedAsAnAccountId_IsNamedByItsUserName_AndAnUnknownIdStaysAsRecorded()
    {
        var unknown = Guid.NewGuid().ToString();
        var cut = RenderPage(IntactReport(), Entry(68, "market.entity.approved") with { Actor = MarketStaffId }, Entry(67, "market.entity.registered") with { Actor = unknown });

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=trail-actor]").Count));
        var actors = cut.FindAll("[data-testid=trail-actor]");
        Assert.Equal("staff", actors[0].TextContent);
        Assert.Equal(MarketStaffId, actors[0].GetAttribute("title"));
        Assert.Equal(unknown, actors[1].TextContent);
    }

    [Fact]
    public void ProjectFilter_AProjectCodeEntered_AsksTheLogForThatProjectsRecords()
    {
        var cut = RenderPage(IntactReport(), Entry(7, "deposits.section.configured"));
        cut.WaitForAssertion(() => Assert.NotEmpty(_supervision.Filters));
        Assert.Null(_supervision.Filters[^1].Project);

        var input = cut.Find("[data-testid=trail-filter-project] input, input[data-testid=trail-filter-project]");
        input.Change("530100-GC-2026-00201");
        input.Blur();

        cut.WaitForAssertion(() => Assert.Equal("530100-GC-2026-00201", _supervision.Filters[^1].Project));
        Assert.Contains("项目编号", cut.Find("[data-testid=trail-log-filters]").TextContent, StringComparison.Ordinal);
        Assert.Contains("deposits.section.configured", cut.Find("[data-testid=trail-log]").TextContent, StringComparison.Ordinal);
        // The export takes what the log shows: the same filters.
        Assert.Equal("/supervision/trail/export.xlsx?project=530100-GC-2026-00201", cut.Find("[data-testid=trail-export]").GetAttribute("href"));
    }

    [Fact]
    public void ProjectFilter_FromTheAddress_OpensTheLogOnThatProject()
    {
        var cut = RenderPageAt("/supervision/trail?project=530100-GC-2026-00201", IntactReport(), Entry(7, "deposits.section.configured"));

        cut.WaitForAssertion(() => Assert.NotEmpty(_supervision.Filters));
        Assert.All(_supervision.Filters, f => Assert.Equal("530100-GC-2026-00201", f.Project));
        Assert.Equal("530100-GC-2026-00201", cut.Find("[data-testid=trail-filter-project] input, input[data-testid=trail-filter-project]").GetAttribute("value"));
    }
}

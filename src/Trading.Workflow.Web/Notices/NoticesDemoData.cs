using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Projects;

namespace Trading.Workflow.Web.Notices;

/// <summary>
/// Demo notices for the submitted demo project (<see cref="ProjectsDemoData"/>), so the public portal shows rows on
/// first start: the demo <c>tenderee</c> drafts and submits them, and the demo <c>staff</c> approves each through the
/// real review procedure (<c>kernel.notice-review</c>), which publishes and indexes it with its trail records. Every
/// title and body is labelled demo data. Runs after the demo project (200) and skips a project that has notices.
/// No 澄清公告: a clarification is of documents on sale, which the tenderee uploads in the walk, and publishing it on
/// the tender page publishes its notice (<c>TenderService.PublishClarificationAsync</c>); one seeded here alone would
/// be on the portal and missing from the tender page.
/// </summary>
public sealed partial class NoticesDemoData(
    NoticeService notices, IWorkflowEngine engine, ITradingDatabase database, ILogger<NoticesDemoData> logger) : IDemoDataStep
{
    public const string Suffix = "（演示数据）";

    /// <summary>The demo notices' titles (each also searchable by a Chinese word of it, e.g. 教学楼).</summary>
    public static IReadOnlyList<(NoticeKind Kind, string Title, string Body)> Notices { get; } =
    [
        (NoticeKind.Tender, "演示市第一中学教学楼新建工程施工招标公告" + Suffix,
            "<p>本公告为演示数据，不是真实的招标公告。</p><p>演示市第一中学教学楼新建工程（演示数据）已具备招标条件，现对该项目施工进行公开招标，分两个标段：教学楼主体结构施工、室外配套及绿化工程。</p>"),
    ];

    public int Order => 250;

    public async Task SeedAsync(DemoDataContext demo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(demo);
        Project? project;
        await using (var db = database.Create())
        {
            project = await db.Set<Project>().AsNoTracking()
                .Where(p => p.Name == ProjectsDemoData.DemoProjectName)
                .OrderBy(p => p.Code)
                .FirstOrDefaultAsync(cancellationToken);
        }

        if (project is null)
        {
            LogNoProject(ProjectsDemoData.DemoProjectName);
            return;
        }

        if ((await notices.ListForProjectAsync(project.Id, cancellationToken)).Count > 0)
        {
            return;
        }

        var tenderee = (await demo.UserAsync("tenderee")).UserName!;
        var staff = (await demo.UserAsync("staff")).UserName!;
        var noticeProject = NoticeProject.Create(project.Id, project.Code, project.CentreId, project.TradeType, project.RegionCode, project.Name);
        foreach (var (kind, title, body) in Notices)
        {
            var notice = await notices.DraftAsync(tenderee, noticeProject, new NoticeDraft(kind, title, body, []), cancellationToken: cancellationToken);
            var instanceId = await notices.SubmitAsync(tenderee, notice.Id, cancellationToken);
            var review = (await engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId }, cancellationToken)).FirstOrDefault();
            if (review is null)
            {
                LogNoReview(notice.Id, instanceId);
                continue;
            }

            await engine.CompleteTaskAsync(review.Id, new Dictionary<string, object?>
            {
                [NoticeReviewVariables.Approved] = true,
                [NoticeReviewVariables.ReturnReason] = null,
                [NoticeReviewVariables.Reviewer] = staff,
            }, staff, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No demo notices: the demo project {Name} does not exist")]
    private partial void LogNoProject(string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo notice {NoticeId} left under review: its review instance {InstanceId} has no open task")]
    private partial void LogNoReview(Guid noticeId, Guid instanceId);
}

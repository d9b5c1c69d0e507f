using Trading.Workflow.Domain.Notices.Search;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Handlers;

namespace Trading.Workflow.Domain.Notices;

/// <summary>
/// The service tasks of <c>workflows/kernel/notice-review.bpmn</c>. Each changes the notice inside the engine's
/// command transaction and appends its trail record there, so the procedure never moves on without the notice's new
/// state and a failed step leaves neither. Who acted comes from variables the server sets (the submitter at start,
/// the signed-in reviewer on completion), never from what a browser sends.
/// </summary>
public abstract class NoticeReviewHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock) : IServiceTaskHandler
{
    public abstract string Name { get; }

    public abstract string Description { get; }

    protected TimeProvider Clock => clock;

    public async ValueTask ExecuteAsync(ServiceTaskContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var db = database.For(context);
        var id = Guid.TryParse(context.GetVariable(NoticeReviewVariables.NoticeId)?.ToString() ?? context.BusinessKey, out var parsed)
            ? parsed
            : throw new DomainRuleException(NoticeRules.NotFound, "The review has no notice id.");
        var notice = await NoticeService.FindAsync(db, id, context.CancellationToken);
        var (actor, action) = await ApplyAsync(context, db, notice);
        await trail.AppendAsync(db, NoticeService.Record(actor, notice, action, new { instanceId = context.InstanceId }), context.CancellationToken);
    }

    protected abstract ValueTask<(string Actor, string Action)> ApplyAsync(ServiceTaskContext context, TradingDbContext db, Notice notice);

    protected static string Text(ServiceTaskContext context, string variable) =>
        context.GetVariable(variable)?.ToString() is { Length: > 0 } value
            ? value
            : throw new DomainRuleException(NoticeRules.NotAllowed, $"The review step needs the variable '{variable}'.");
}

/// <summary><c>noticeSubmit</c>: the notice goes under review; its drafter can no longer change it.</summary>
public sealed class NoticeSubmitHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock) : NoticeReviewHandler(database, trail, clock)
{
    public override string Name => "noticeSubmit";

    public override string Description => "公告提交审核 / Submit a notice for review";

    protected override ValueTask<(string Actor, string Action)> ApplyAsync(ServiceTaskContext context, TradingDbContext db, Notice notice)
    {
        var submitter = Text(context, NoticeReviewVariables.SubmittedBy);
        notice.SubmitForReview(submitter, Clock.GetUtcNow());
        return ValueTask.FromResult((submitter, "notices.notice.submitted"));
    }
}

/// <summary><c>noticePublish</c>: the approved notice is published and indexed for the portal's search.</summary>
public sealed class NoticePublishHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock) : NoticeReviewHandler(database, trail, clock)
{
    public override string Name => "noticePublish";

    public override string Description => "发布公告到交易信息公开门户 / Publish a notice on the public portal";

    protected override async ValueTask<(string Actor, string Action)> ApplyAsync(ServiceTaskContext context, TradingDbContext db, Notice notice)
    {
        var reviewer = Text(context, NoticeReviewVariables.Reviewer);
        notice.Publish(reviewer, Clock.GetUtcNow());
        await db.SaveChangesAsync(context.CancellationToken);
        await NoticeSearchIndex.AddAsync(db, notice, context.CancellationToken);
        return (reviewer, "notices.notice.published");
    }
}

/// <summary><c>noticeReturn</c>: the notice goes back to its drafter with the reviewer's reason.</summary>
public sealed class NoticeReturnHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock) : NoticeReviewHandler(database, trail, clock)
{
    public override string Name => "noticeReturn";

    public override string Description => "退回公告起草方 / Return a notice to its drafter";

    protected override ValueTask<(string Actor, string Action)> ApplyAsync(ServiceTaskContext context, TradingDbContext db, Notice notice)
    {
        var reviewer = Text(context, NoticeReviewVariables.Reviewer);
        notice.Return(reviewer, context.GetVariable(NoticeReviewVariables.ReturnReason)?.ToString() ?? string.Empty);
        return ValueTask.FromResult((reviewer, "notices.notice.returned"));
    }
}

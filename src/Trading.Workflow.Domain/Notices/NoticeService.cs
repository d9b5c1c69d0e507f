using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Domain.Notices;

/// <summary>What the drafter writes; the body is sanitised by the notice itself.</summary>
public sealed record NoticeDraft(NoticeKind Kind, string Title, string BodyHtml, IReadOnlyList<NoticeAttachment> Attachments, IReadOnlyList<Guid>? SectionIds = null);

/// <summary>
/// The owner's side of notices: drafting, revising and submitting for review. The caller has checked that the user
/// acts for the project (its tenderee, purchaser, grantor or authorised agency). Every change and its trail record
/// commit together. Submitting starts the kernel procedure <see cref="ReviewProcessId"/> with the notice id as
/// business key: its first step moves the notice into review in the same command.
/// </summary>
public sealed class NoticeService(ITradingDatabase database, IAuditTrail trail, IWorkflowEngine engine, TimeProvider clock)
{
    public const string ReviewProcessId = "kernel.notice-review";

    public async Task<Notice> DraftAsync(string userId, NoticeProject project, NoticeDraft draft, Guid? corrects = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);

        // An archived project is read-only (资料归档): no new notice or correction.
        await Archive.ArchiveGuard.EnsureWritableAsync(db, project.ProjectId, cancellationToken);
        Notice? original = null;
        if (corrects is { } correctsId)
        {
            original = await db.Set<Notice>().SingleOrDefaultAsync(n => n.Id == correctsId, cancellationToken)
                ?? throw new DomainRuleException(NoticeRules.CorrectsUnpublished, "A correction must name a published notice.");
        }

        var notice = Notice.Draft(project, draft.Kind, draft.Title, draft.BodyHtml, draft.Attachments, userId, clock.GetUtcNow(), original, draft.SectionIds);
        db.Add(notice);
        await trail.AppendAsync(db, Record(userId, notice, original is null ? "notices.notice.drafted" : "notices.correction.drafted"), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return notice;
    }

    /// <summary>Revises a draft or returned notice; <paramref name="expectedVersion"/> refuses to overwrite someone else's change.</summary>
    public async Task<Notice> EditAsync(string userId, Guid noticeId, int expectedVersion, NoticeDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var notice = await FindAsync(db, noticeId, cancellationToken);
        await Archive.ArchiveGuard.EnsureWritableAsync(db, notice.ProjectId, cancellationToken);
        if (notice.Version != expectedVersion)
        {
            throw new DomainRuleException(NoticeRules.Changed, "Someone else changed this notice since it was opened; reload it.");
        }

        notice.Edit(draft.Title, draft.BodyHtml, draft.Attachments, userId, draft.SectionIds);
        await trail.AppendAsync(db, Record(userId, notice, "notices.notice.revised"), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return notice;
    }

    /// <summary>Hands the notice to the centre's staff: starts its review procedure, whose first step puts it under review.</summary>
    public async Task<Guid> SubmitAsync(string userId, Guid noticeId, CancellationToken cancellationToken = default)
    {
        Notice notice;
        await using (var db = database.Create())
        {
            notice = await FindAsync(db, noticeId, cancellationToken);
        }

        if (notice.State == NoticeState.Published)
        {
            throw new DomainRuleException(NoticeRules.Immutable, "A published notice cannot be submitted again.");
        }

        if (notice.State is not (NoticeState.Draft or NoticeState.Returned))
        {
            throw new DomainRuleException(NoticeRules.NotEditable, "Only a draft or a returned notice can be submitted.");
        }

        var instance = await engine.StartAsync(new StartInstanceRequest(ReviewProcessId)
        {
            BusinessKey = notice.Id.ToString(),
            UserId = userId,
            Variables = NoticeReviewVariables.ForStart(notice, userId),
        }, cancellationToken);
        return instance.Id;
    }

    public async Task<Notice?> GetAsync(Guid noticeId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await db.Set<Notice>().AsNoTracking().SingleOrDefaultAsync(n => n.Id == noticeId, cancellationToken);
    }

    /// <summary>Every notice of a project, drafts included (for its owner and the centre's staff), oldest first.</summary>
    public async Task<IReadOnlyList<Notice>> ListForProjectAsync(Guid projectId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await db.Set<Notice>().AsNoTracking().Where(n => n.ProjectId == projectId).OrderBy(n => n.DraftedAt).ToListAsync(cancellationToken);
    }

    internal static async Task<Notice> FindAsync(DbContext db, Guid noticeId, CancellationToken cancellationToken) =>
        await db.Set<Notice>().SingleOrDefaultAsync(n => n.Id == noticeId, cancellationToken)
        ?? throw new DomainRuleException(NoticeRules.NotFound, $"No notice {noticeId}.");

    internal static AuditRecord Record(string actor, Notice notice, string action, object? extra = null) => new(
        actor, notice.CentreId, "notice", notice.Id.ToString(), action,
        new
        {
            noticeId = notice.Id,
            projectId = notice.ProjectId,
            projectCode = notice.ProjectCode,
            sectionIds = notice.SectionIds,
            kind = notice.Kind.ToString(),
            state = notice.State.ToString(),
            title = notice.Title,
            version = notice.Version,
            correctsNoticeId = notice.CorrectsNoticeId,
            attachments = notice.Attachments.Select(a => a.Sha256).ToArray(),
            extra,
        });
}

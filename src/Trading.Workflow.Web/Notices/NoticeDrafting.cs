using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Web.Projects;

namespace Trading.Workflow.Web.Notices;

/// <summary>A notice in the owner's list.</summary>
public sealed record OwnNoticeRow(Guid Id, string Title, NoticeKind Kind, NoticeState State, string ProjectCode, string TradeType, DateTimeOffset DraftedAt, string? ReturnReason);

/// <summary>A project the user may draft notices for.</summary>
public sealed record DraftableProject(Guid Id, string Code, string Name, string TradeType);

/// <summary>
/// The owner's side of notices, checked on the server for every call: only a user who may manage the project (acts for
/// its owner or agency as a tenderee, <see cref="ProjectAction.Manage"/> of <see cref="IProjectAuthorization"/>) drafts,
/// revises and submits its notices. The project's code, centre, trade type and region are read from the project, never from what a
/// page posts.
/// </summary>
public sealed class NoticeDrafting(ITradingDatabase database, ProjectActors actors, IProjectAuthorization authorization, NoticeService notices)
{
    /// <summary>The projects the user may draft notices for (newest first).</summary>
    public async Task<IReadOnlyList<DraftableProject>> ProjectsAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        var actor = await ActorAsync(principal, cancellationToken);
        if (!actor.IsInRole(PlatformRoles.Tenderee))
        {
            return [];
        }

        // ProjectAction.Manage as a query: the projects whose owner or agency the tenderee acts for.
        var entities = actor.ActsFor.Select(p => p.EntityId).ToList();
        await using var db = database.Create();
        return await db.Set<Project>().AsNoTracking()
            .Where(p => entities.Contains(p.OwnerEntityId) || (p.AgencyEntityId != null && entities.Contains(p.AgencyEntityId.Value)))
            .OrderByDescending(p => p.Code)
            .Take(500)
            .Select(p => new DraftableProject(p.Id, p.Code, p.Name, p.TradeType))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Every notice of the projects the user may draft for, newest first.</summary>
    public async Task<IReadOnlyList<OwnNoticeRow>> MineAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        var rows = new List<OwnNoticeRow>();
        foreach (var project in await ProjectsAsync(principal, cancellationToken))
        {
            rows.AddRange((await notices.ListForProjectAsync(project.Id, cancellationToken)).Select(n =>
                new OwnNoticeRow(n.Id, n.Title, n.Kind, n.State, n.ProjectCode, n.TradeType, n.DraftedAt, n.ReturnReason)));
        }

        return [.. rows.OrderByDescending(r => r.DraftedAt)];
    }

    public async Task<Notice> DraftAsync(ClaimsPrincipal principal, Guid projectId, NoticeDraft draft, Guid? corrects, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var (actor, project) = await PartyAsync(principal, projectId, cancellationToken);
        var noticeProject = NoticeProject.Create(project.Id, project.Code, project.CentreId, project.TradeType, project.RegionCode, project.Name);
        return await notices.DraftAsync(actor.UserId, noticeProject, draft with { SectionIds = Sections(project, draft) }, corrects, cancellationToken);
    }

    /// <summary>The notice, for a party of its project; a rule exception when there is none or the user is no party.</summary>
    public async Task<Notice> GetAsync(ClaimsPrincipal principal, Guid noticeId, CancellationToken cancellationToken = default)
    {
        var notice = await notices.GetAsync(noticeId, cancellationToken) ?? throw new DomainRuleException(NoticeRules.NotFound, $"No notice {noticeId}.");
        await PartyAsync(principal, notice.ProjectId, cancellationToken);
        return notice;
    }

    public async Task<Notice> EditAsync(ClaimsPrincipal principal, Guid noticeId, int expectedVersion, NoticeDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var notice = await notices.GetAsync(noticeId, cancellationToken) ?? throw new DomainRuleException(NoticeRules.NotFound, $"No notice {noticeId}.");
        var (actor, project) = await PartyAsync(principal, notice.ProjectId, cancellationToken);
        return await notices.EditAsync(actor.UserId, noticeId, expectedVersion, draft with { SectionIds = Sections(project, draft) }, cancellationToken);
    }

    public async Task SubmitAsync(ClaimsPrincipal principal, Guid noticeId, CancellationToken cancellationToken = default)
    {
        var notice = await notices.GetAsync(noticeId, cancellationToken) ?? throw new DomainRuleException(NoticeRules.NotFound, $"No notice {noticeId}.");
        var (actor, _) = await PartyAsync(principal, notice.ProjectId, cancellationToken);
        await notices.SubmitAsync(actor.UserId, notice.Id, cancellationToken);
    }

    private static List<Guid>? Sections(Project project, NoticeDraft draft) =>
        draft.SectionIds?.Where(id => project.Sections.Any(s => s.Id == id)).ToList();

    private async Task<(ProjectActor Actor, Project Project)> PartyAsync(ClaimsPrincipal principal, Guid projectId, CancellationToken cancellationToken)
    {
        var actor = await ActorAsync(principal, cancellationToken);
        await using var db = database.Create();
        var project = await db.Set<Project>().AsNoTracking().Include(p => p.Sections).SingleOrDefaultAsync(p => p.Id == projectId, cancellationToken);
        if (project is null
            || await authorization.ScopeAsync(project.Id, cancellationToken) is not { } scope
            || !authorization.StandingOf(actor.Principal, scope).Can(ProjectAction.Manage))
        {
            // Not "not found": the user may not learn whether another party's project exists.
            throw new DomainRuleException(NoticeRules.NotAllowed, "The user is no party of the notice's project.");
        }

        return (actor, project);
    }

    private async Task<ProjectActor> ActorAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.Identity is not { IsAuthenticated: true, Name.Length: > 0 })
        {
            throw new DomainRuleException(NoticeRules.NotAllowed, "Drafting notices needs a signed-in user.");
        }

        return await actors.ForAsync(principal, cancellationToken);
    }
}

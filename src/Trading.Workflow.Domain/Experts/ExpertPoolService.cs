using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Trail;

namespace Trading.Workflow.Domain.Experts;

/// <summary>A search of the pool: text in the name, account or employer; a specialty node; a status.</summary>
public sealed record ExpertQuery(string? Text = null, string? Specialty = null, ExpertStatus? Status = null);

/// <summary>
/// The expert pool (评标专家库). Staff (and administrators) register experts, edit them, suspend, reinstate and remove
/// them with a reason, and record assessments; an expert keeps the own profile current; supervisors read. Each command
/// runs in its own transaction with its trail record (<c>experts.expert.registered|updated|suspended|reinstated|removed|assessed</c>,
/// data <c>{ expertId, userName, ... }</c>); an edit on a stale version is refused (<see cref="ExpertRules.Changed"/>).
/// </summary>
public sealed class ExpertPoolService(ITradingDatabase database, IAuditTrail trail, IUserDirectory users, TimeProvider time)
{
    public DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime);

    public async Task<IReadOnlyList<Expert>> ListAsync(ExpertQuery query, ExpertsActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        RequireStaffOrSupervisor(actor);
        await using var db = database.Create();
        var rows = await db.Set<Expert>().AsNoTracking().OrderBy(e => e.DisplayName).ToListAsync(cancellationToken);
        var text = query.Text?.Trim();
        return rows.Where(e => query.Status is null || e.Status == query.Status)
            .Where(e => query.Specialty is not { Length: > 0 } s || e.Profile.Specialties.Any(x => x.StartsWith(s, StringComparison.Ordinal)))
            .Where(e => string.IsNullOrEmpty(text)
                || e.DisplayName.Contains(text, StringComparison.OrdinalIgnoreCase)
                || e.UserName.Contains(text, StringComparison.OrdinalIgnoreCase)
                || e.Profile.Employer.Name.Contains(text, StringComparison.OrdinalIgnoreCase)
                || e.Profile.Title.Contains(text, StringComparison.OrdinalIgnoreCase))
            .ToList();
    }

    public async Task<Expert> GetAsync(Guid id, ExpertsActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var expert = await db.Set<Expert>().AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, cancellationToken)
            ?? throw new DomainRuleException(ExpertRules.NotFound, $"No expert {id}.");
        if (!actor.IsStaff && !actor.IsSupervisor && actor.UserName != expert.UserName)
        {
            throw new DomainRuleException(ExpertRules.NotAllowed, "Only staff, supervisors and the expert read a profile.");
        }

        return expert;
    }

    /// <summary>The signed-in expert's own entry in the pool, or null when staff have not registered it.</summary>
    public async Task<Expert?> MineAsync(ExpertsActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await db.Set<Expert>().AsNoTracking().FirstOrDefaultAsync(e => e.UserName == actor.UserName, cancellationToken);
    }

    /// <summary>Adds the account <paramref name="userName"/> (which must hold the Expert role) to the pool.</summary>
    public async Task<Expert> RegisterAsync(string userName, ExpertProfile profile, ExpertsActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        RequireStaff(actor);
        var account = await users.FindByUserNameAsync(userName, cancellationToken);
        if (account is null || !account.Roles.Contains(PlatformRoles.Expert))
        {
            throw new DomainRuleException(ExpertRules.AccountNotExpert, $"'{userName}' is not an account with the Expert role.");
        }

        var valid = profile.Validated(Today);
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.Set<Expert>().AnyAsync(e => e.UserName == account.UserName, cancellationToken))
        {
            throw new DomainRuleException(ExpertRules.AlreadyInPool, $"'{userName}' is already in the pool.");
        }

        var expert = new Expert(Guid.NewGuid(), account.UserName, valid, time.GetUtcNow(), actor.UserName);
        db.Add(expert);
        await AppendAsync(db, actor, expert, "experts.expert.registered", null, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return expert;
    }

    /// <summary>Replaces the profile: staff, or the expert for the own profile.</summary>
    public Task<Expert> UpdateAsync(Guid id, int version, ExpertProfile profile, ExpertsActor actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, version, actor, allowSelf: true, "experts.expert.updated", (expert, at) =>
        {
            ArgumentNullException.ThrowIfNull(profile);
            expert.Update(profile.Validated(Today), at, actor.UserName);
            return null;
        }, cancellationToken);

    /// <summary>Suspends, reinstates (Active) or removes an expert, with the reason.</summary>
    public Task<Expert> ChangeStatusAsync(Guid id, int version, ExpertStatus status, string reason, ExpertsActor actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, version, actor, allowSelf: false, status switch
        {
            ExpertStatus.Suspended => "experts.expert.suspended",
            ExpertStatus.Removed => "experts.expert.removed",
            _ => "experts.expert.reinstated",
        }, (expert, at) =>
        {
            expert.ChangeStatus(status, reason, at, actor.UserName);
            return new { reason = reason.Trim() };
        }, cancellationToken);

    /// <summary>Records an assessment (score 0–100; a penalty when <paramref name="penalty"/>), optionally for a project.</summary>
    public Task<Expert> AssessAsync(
        Guid id, int version, int score, bool penalty, string note, Guid? projectId, string? projectCode, ExpertsActor actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, version, actor, allowSelf: false, "experts.expert.assessed", (expert, at) =>
        {
            if (score is < 0 or > 100)
            {
                throw new DomainRuleException(ExpertRules.ScoreInvalid, $"Score {score} is not 0–100.");
            }

            if (string.IsNullOrWhiteSpace(note))
            {
                throw new DomainRuleException(ExpertRules.ReasonRequired, "An assessment needs a note.");
            }

            if (note.Trim().Length > ExpertAssessment.MaxNoteLength)
            {
                throw new DomainRuleException(ExpertRules.TooLong, "The note is too long.");
            }

            expert.Assess(new ExpertAssessment(Guid.NewGuid(), at, actor.UserName, projectId, projectCode, score, penalty, note.Trim()));
            return new { score, penalty, projectId };
        }, cancellationToken);

    private async Task<Expert> ChangeAsync(
        Guid id, int version, ExpertsActor actor, bool allowSelf, string action, Func<Expert, DateTimeOffset, object?> change, CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var expert = await db.Set<Expert>().FirstOrDefaultAsync(e => e.Id == id, cancellationToken)
            ?? throw new DomainRuleException(ExpertRules.NotFound, $"No expert {id}.");
        if (!actor.IsStaff && !(allowSelf && actor.UserName == expert.UserName))
        {
            throw new DomainRuleException(ExpertRules.NotAllowed, $"{actor.UserName} may not change expert {expert.UserName}.");
        }

        if (expert.Version != version)
        {
            throw new DomainRuleException(ExpertRules.Changed, $"Expert {expert.UserName} changed since it was read.");
        }

        var data = change(expert, time.GetUtcNow());
        await AppendAsync(db, actor, expert, action, data, cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainRuleException(ExpertRules.Changed, $"Expert {expert.UserName} changed since it was read.");
        }

        await tx.CommitAsync(cancellationToken);
        return expert;
    }

    private Task AppendAsync(TradingDbContext db, ExpertsActor actor, Expert expert, string action, object? data, CancellationToken cancellationToken) =>
        trail.AppendAsync(db, new AuditRecord(actor.UserName, actor.CentreId, "expert", expert.Id.ToString(), action,
            new { expertId = expert.Id, userName = expert.UserName, details = data }), cancellationToken);

    private static void RequireStaff(ExpertsActor actor)
    {
        if (!actor.IsStaff)
        {
            throw new DomainRuleException(ExpertRules.NotAllowed, "Only the centre's staff manage the expert pool.");
        }
    }

    private static void RequireStaffOrSupervisor(ExpertsActor actor)
    {
        if (!actor.IsStaff && !actor.IsSupervisor)
        {
            throw new DomainRuleException(ExpertRules.NotAllowed, "Only staff and supervisors read the expert pool.");
        }
    }
}

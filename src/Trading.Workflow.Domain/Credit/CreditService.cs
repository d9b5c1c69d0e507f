using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Centres;
using Trading.Workflow.Domain.Experts;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Domain.Warnings;

namespace Trading.Workflow.Domain.Credit;

/// <summary>
/// Who asks about credit records: the user's name (as the trail names users), the account id (as market memberships
/// name users), platform roles and centre.
/// </summary>
public sealed record CreditViewer(string UserName, string AccountId, IReadOnlyCollection<string> Roles, Guid? CentreId)
{
    public bool IsSupervisor => UserName.Length > 0 && Roles.Contains(PlatformRoles.Supervisor, StringComparer.Ordinal);

    public bool IsStaff => UserName.Length > 0 && Roles.Contains(PlatformRoles.Staff, StringComparer.Ordinal);
}

/// <summary>What a supervisor's list asks for; every part optional. <paramref name="Subject"/> is text in the subject's name or code.</summary>
public sealed record CreditFilter(
    CreditSubjectKind? SubjectKind = null, Guid? SubjectId = null, string? Subject = null, CreditRecordKind? Kind = null, bool? Revoked = null);

/// <summary>
/// One published sanction (条例 78): only what the law publishes, nothing internal (no reason text beyond the category,
/// no user names). <paramref name="CentreNameZh"/>/<paramref name="CentreNameEn"/> name the issuing centre.
/// </summary>
public sealed record PublicSanction(
    Guid Id, string SubjectName, string? SubjectCode, CreditSubjectKind SubjectKind, CreditCategory Category, string LegalBasis, string DecisionNumber,
    DateOnly DecidedOn, bool BarsParticipation, DateOnly? BarFrom, DateOnly? BarUntil, string? CentreNameZh, string? CentreNameEn, bool Revoked, DateOnly? RevokedOn);

/// <summary>
/// 信用 (credit), shared by every trade type: supervisors record sanctions (不良行为, 惩戒) and good records on market
/// entities and experts, and revoke them (撤销) with a reason; a record is never edited or deleted. Each command commits
/// with its trail record (<c>credit.record.recorded|revoked</c>, data <c>{ recordId, entityId | expertUserName, ... }</c>),
/// from which the subject's users are notified. Barring sanctions in force are read by the participation and bidding
/// checks and by the expert draw through <see cref="ActiveBarAsync"/> and <see cref="BarredExpertsAsync"/>.
/// </summary>
public sealed class CreditService(ITradingDatabase database, IAuditTrail trail, TimeProvider time)
{
    public const string RecordedAction = "credit.record.recorded";
    public const string RevokedAction = "credit.record.revoked";

    /// <summary>Largest list a supervisor's page reads.</summary>
    public const int MaxRows = 500;

    /// <summary>Today in China, the day bars are judged on.</summary>
    public DateOnly Today => MarketEntityService.ChinaDay(time.GetUtcNow());

    // ---------------------------------------------------------------- recording (supervisors)

    /// <summary>A supervisor records a sanction or a good record; committed with its trail record.</summary>
    public async Task<CreditRecord> RecordAsync(CreditViewer viewer, CreditRecordInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        ArgumentNullException.ThrowIfNull(input);
        RequireSupervisor(viewer);
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var (name, code, expertUser) = await SubjectAsync(db, input.SubjectKind, input.SubjectId, cancellationToken);
        if (input.WarningId is { } warningId)
        {
            var warning = await db.Set<CollusionWarning>().AsNoTracking().SingleOrDefaultAsync(w => w.Id == warningId, cancellationToken);
            if (warning is not { State: WarningState.Confirmed } || input.SubjectKind != CreditSubjectKind.MarketEntity
                || warning.Bidders.All(b => b.EntityId != input.SubjectId))
            {
                throw new DomainRuleException(CreditRules.WarningNotConfirmed, "A sanction follows only from a confirmed warning naming the entity.");
            }
        }

        var centreId = viewer.CentreId ?? await db.Set<TradingCentre>().AsNoTracking().Where(c => c.ParentId == null)
            .Select(c => (Guid?)c.Id).FirstOrDefaultAsync(cancellationToken);
        var record = CreditRecord.Create(input, name, code, viewer.UserName, centreId, time.GetUtcNow());
        db.Add(record);
        await trail.AppendAsync(db, new AuditRecord(viewer.UserName, centreId, "credit-record", record.Id.ToString(), RecordedAction, new
        {
            recordId = record.Id,
            subjectKind = record.SubjectKind.ToString(),
            entityId = record.SubjectKind == CreditSubjectKind.MarketEntity ? record.SubjectId : (Guid?)null,
            expertId = record.SubjectKind == CreditSubjectKind.Expert ? record.SubjectId : (Guid?)null,
            expertUserName = expertUser,
            subjectName = record.SubjectName,
            kind = record.Kind.ToString(),
            category = record.Category.ToString(),
            legalBasis = record.LegalBasis,
            decisionNumber = record.DecisionNumber,
            decidedOn = record.DecidedOn,
            barsParticipation = record.BarsParticipation,
            barFrom = record.BarFrom,
            barUntil = record.BarUntil,
            warningId = record.WarningId,
        }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return record;
    }

    /// <summary>A supervisor revokes a record with a reason (<paramref name="expectedVersion"/>: the version read); committed with its trail record.</summary>
    public async Task<CreditRecord> RevokeAsync(CreditViewer viewer, Guid recordId, int expectedVersion, string? reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        RequireSupervisor(viewer);
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var record = await db.Set<CreditRecord>().SingleOrDefaultAsync(r => r.Id == recordId, cancellationToken)
            ?? throw new DomainRuleException(CreditRules.NotFound, $"No credit record {recordId}.");
        if (record.IsRevoked)
        {
            throw new DomainRuleException(CreditRules.AlreadyRevoked, $"Credit record {recordId} is already revoked.");
        }

        if (record.Version != expectedVersion)
        {
            throw new DomainRuleException(CreditRules.Changed, "The record changed meanwhile; reload it.");
        }

        record.Revoke(viewer.UserName, reason ?? string.Empty, time.GetUtcNow());
        var expertUser = record.SubjectKind == CreditSubjectKind.Expert
            ? await db.Set<Expert>().AsNoTracking().Where(e => e.Id == record.SubjectId).Select(e => e.UserName).FirstOrDefaultAsync(cancellationToken)
            : null;
        await trail.AppendAsync(db, new AuditRecord(viewer.UserName, record.CentreId, "credit-record", record.Id.ToString(), RevokedAction, new
        {
            recordId = record.Id,
            subjectKind = record.SubjectKind.ToString(),
            entityId = record.SubjectKind == CreditSubjectKind.MarketEntity ? record.SubjectId : (Guid?)null,
            expertId = record.SubjectKind == CreditSubjectKind.Expert ? record.SubjectId : (Guid?)null,
            expertUserName = expertUser,
            decisionNumber = record.DecisionNumber,
            reason = record.RevocationReason,
        }), cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainRuleException(CreditRules.Changed, "The record changed meanwhile; reload it.");
        }

        await tx.CommitAsync(cancellationToken);
        return record;
    }

    // ---------------------------------------------------------------- reading

    /// <summary>The records a supervisor's list shows, newest first; refused to anyone but supervisors.</summary>
    public async Task<IReadOnlyList<CreditRecord>> ListAsync(CreditViewer viewer, CreditFilter? filter = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        RequireSupervisor(viewer);
        await using var db = database.Create();
        return await Newest(Filtered(db, filter ?? new CreditFilter())).Take(MaxRows).ToListAsync(cancellationToken);
    }

    /// <summary>One page of <see cref="ListAsync"/>'s order (newest first) and how many records match (for an export).</summary>
    public async Task<(IReadOnlyList<CreditRecord> Rows, int Total)> PageAsync(
        CreditViewer viewer, CreditFilter? filter, int skip, int take, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        RequireSupervisor(viewer);
        await using var db = database.Create();
        var query = Filtered(db, filter ?? new CreditFilter());
        var rows = await Newest(query).Skip(skip).Take(take).ToListAsync(cancellationToken);
        return (rows, await query.CountAsync(cancellationToken));
    }

    private static IQueryable<CreditRecord> Newest(IQueryable<CreditRecord> records) => records.OrderByDescending(r => r.RecordedAt).ThenBy(r => r.Id);

    private static IQueryable<CreditRecord> Filtered(TradingDbContext db, CreditFilter filter)
    {
        var query = db.Set<CreditRecord>().AsNoTracking();
        if (filter.SubjectKind is { } subjectKind)
        {
            query = query.Where(r => r.SubjectKind == subjectKind);
        }

        if (filter.SubjectId is { } subjectId)
        {
            query = query.Where(r => r.SubjectId == subjectId);
        }

        if (filter.Kind is { } kind)
        {
            query = query.Where(r => r.Kind == kind);
        }

        if (filter.Revoked is { } revoked)
        {
            query = revoked ? query.Where(r => r.RevokedAt != null) : query.Where(r => r.RevokedAt == null);
        }

        if (!string.IsNullOrWhiteSpace(filter.Subject))
        {
            var text = filter.Subject.Trim();
            query = query.Where(r => r.SubjectName.Contains(text) || (r.SubjectCode != null && r.SubjectCode.Contains(text)) || r.DecisionNumber.Contains(text));
        }

        return query;
    }

    /// <summary>
    /// The records of one market entity, newest first: for staff, supervisors and the entity's own users; nobody else
    /// (refused with <see cref="Projects.ProjectAccessDeniedException"/>).
    /// </summary>
    public async Task<IReadOnlyList<CreditRecord>> OfEntityAsync(CreditViewer viewer, Guid entityId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        await using var db = database.Create();
        if (!viewer.IsSupervisor && !viewer.IsStaff
            && !(viewer.AccountId.Length > 0 && await db.Set<MarketEntity>().AnyAsync(e => e.Id == entityId && e.Members.Any(m => m.UserId == viewer.AccountId), cancellationToken)))
        {
            throw new Projects.ProjectAccessDeniedException();
        }

        return await db.Set<CreditRecord>().AsNoTracking()
            .Where(r => r.SubjectKind == CreditSubjectKind.MarketEntity && r.SubjectId == entityId)
            .OrderByDescending(r => r.RecordedAt).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The sanctions in force today (or with no period) and the revoked ones, as published (条例 78), newest decision
    /// first. Sanctions whose period ended drop off the list. Anyone may read it.
    /// </summary>
    public async Task<IReadOnlyList<PublicSanction>> PublishedAsync(CancellationToken cancellationToken = default)
    {
        var today = Today;
        await using var db = database.Create();
        var rows = await db.Set<CreditRecord>().AsNoTracking()
            .Where(r => r.Kind == CreditRecordKind.Sanction && (r.BarUntil == null || r.BarUntil >= today))
            .OrderByDescending(r => r.DecidedOn).ThenByDescending(r => r.RecordedAt).Take(MaxRows)
            .ToListAsync(cancellationToken);
        var centreIds = rows.Where(r => r.CentreId != null).Select(r => r.CentreId!.Value).Distinct().ToList();
        var centres = await db.Set<TradingCentre>().AsNoTracking().Where(c => centreIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        return [.. rows.Select(r =>
        {
            var centre = r.CentreId is { } id && centres.TryGetValue(id, out var c) ? c : null;
            return new PublicSanction(r.Id, r.SubjectName, r.SubjectCode, r.SubjectKind, r.Category, r.LegalBasis, r.DecisionNumber, r.DecidedOn,
                r.BarsParticipation, r.BarFrom, r.BarUntil, centre?.NameZh, centre?.NameEn, r.IsRevoked,
                r.RevokedAt is { } at ? MarketEntityService.ChinaDay(at) : null);
        })];
    }

    /// <summary>The sanctions in force today on each of <paramref name="entityIds"/> (for the award pages' credit warning).</summary>
    public async Task<IReadOnlyDictionary<Guid, IReadOnlyList<CreditRecord>>> SanctionsInForceAsync(IReadOnlyCollection<Guid> entityIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entityIds);
        if (entityIds.Count == 0)
        {
            return new Dictionary<Guid, IReadOnlyList<CreditRecord>>();
        }

        var today = Today;
        await using var db = database.Create();
        var rows = await db.Set<CreditRecord>().AsNoTracking()
            .Where(r => r.SubjectKind == CreditSubjectKind.MarketEntity && entityIds.Contains(r.SubjectId)
                && r.Kind == CreditRecordKind.Sanction && r.RevokedAt == null
                && (r.BarFrom == null || r.BarFrom <= today) && (r.BarUntil == null || r.BarUntil >= today))
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.SubjectId).ToDictionary(g => g.Key, g => (IReadOnlyList<CreditRecord>)[.. g.OrderByDescending(r => r.RecordedAt)]);
    }

    // ---------------------------------------------------------------- bars (read by the other parts)

    /// <summary>
    /// The barring sanction in force on <paramref name="day"/> (China) on the subject, the one ending last when there
    /// are several; null when the subject is not barred. Reads on the caller's context (and transaction).
    /// </summary>
    public static async Task<CreditRecord?> ActiveBarAsync(TradingDbContext db, CreditSubjectKind subjectKind, Guid subjectId, DateOnly day, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.Set<CreditRecord>().AsNoTracking()
            .Where(r => r.SubjectKind == subjectKind && r.SubjectId == subjectId && r.BarsParticipation && r.RevokedAt == null
                && r.BarFrom <= day && r.BarUntil >= day)
            .OrderByDescending(r => r.BarUntil).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The experts barred on <paramref name="day"/> (China), with the day each bar ends.</summary>
    public static async Task<IReadOnlyDictionary<Guid, DateOnly>> BarredExpertsAsync(TradingDbContext db, DateOnly day, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var bars = await db.Set<CreditRecord>().AsNoTracking()
            .Where(r => r.SubjectKind == CreditSubjectKind.Expert && r.BarsParticipation && r.RevokedAt == null && r.BarFrom <= day && r.BarUntil >= day)
            .Select(r => new { r.SubjectId, r.BarUntil }).ToListAsync(cancellationToken);
        return bars.GroupBy(b => b.SubjectId).ToDictionary(g => g.Key, g => g.Max(b => b.BarUntil!.Value));
    }

    /// <summary>Refuses a barred entity with <see cref="MarketRules.Barred"/> (the code eligibility answers with), naming the bar's last day.</summary>
    public static async Task RequireNotBarredAsync(TradingDbContext db, Guid entityId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        if (await ActiveBarAsync(db, CreditSubjectKind.MarketEntity, entityId, MarketEntityService.ChinaDay(at), cancellationToken) is { } bar)
        {
            throw new DomainRuleException(MarketRules.Barred,
                $"The entity is barred from taking part until {bar.BarUntil:yyyy-MM-dd} ({bar.DecisionNumber}).");
        }
    }

    private static async Task<(string Name, string? Code, string? ExpertUser)> SubjectAsync(TradingDbContext db, CreditSubjectKind kind, Guid id, CancellationToken cancellationToken)
    {
        if (kind == CreditSubjectKind.MarketEntity)
        {
            var entity = await db.Set<MarketEntity>().AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, cancellationToken)
                ?? throw new DomainRuleException(CreditRules.SubjectNotFound, $"No market entity {id}.");
            // A person's ID number is never published whole.
            var code = entity.Kind == EntityKind.Organisation ? entity.Identifier : ResidentIdNumber.Mask(entity.Identifier);
            return (entity.Name, code, null);
        }

        var expert = await db.Set<Expert>().AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, cancellationToken)
            ?? throw new DomainRuleException(CreditRules.SubjectNotFound, $"No expert {id}.");
        return (expert.DisplayName, null, expert.UserName);
    }

    private static void RequireSupervisor(CreditViewer viewer)
    {
        if (!viewer.IsSupervisor)
        {
            throw new DomainRuleException(CreditRules.SupervisorOnly, "Only a supervisor records, revokes or lists credit records.");
        }
    }
}

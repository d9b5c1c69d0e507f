using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Centres;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Domain.Participations;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.SealedBids;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Calendar;

namespace Trading.Workflow.Domain.Warnings;

/// <summary>Who asks about warnings: the user's name (as the trail names users), platform roles and centre.</summary>
public sealed record WarningViewer(string UserName, IReadOnlyCollection<string> Roles, Guid? CentreId)
{
    public bool IsSupervisor => Roles.Contains(PlatformRoles.Supervisor, StringComparer.Ordinal);

    public bool IsStaff => Roles.Contains(PlatformRoles.Staff, StringComparer.Ordinal);

    /// <summary>Only supervisors and centre staff ever learn that warnings exist.</summary>
    public bool MaySeeWarnings => UserName.Length > 0 && (IsSupervisor || (IsStaff && CentreId is not null));
}

/// <summary>
/// What a list asks for; every part optional. <paramref name="Project"/> is text found in the project's code or name;
/// <paramref name="Centre"/> one centre's projects (within what the viewer sees); <paramref name="From"/> and
/// <paramref name="To"/> the days in China (both included) the warning was first found.
/// </summary>
public sealed record WarningFilter(
    WarningState? State = null, WarningKind? Kind = null, string? Project = null, Guid? ProjectId = null, Guid? SectionId = null,
    Guid? Centre = null, DateOnly? From = null, DateOnly? To = null);

/// <summary>One page of a list, and how many warnings match in all.</summary>
public sealed record WarningPage(IReadOnlyList<CollusionWarning> Rows, int Total);

/// <summary>What a computation did: warnings found, of which new, and open ones removed because their evidence no longer holds.</summary>
public sealed record WarningComputation(int Found, int Added, int Lapsed);

/// <summary>
/// Collusion warnings (围标串标预警): computes the indicators of <see cref="CollusionIndicators"/> on a section from
/// what the platform holds (deposit payments, sealed bids' metadata, bidders' verified profiles and, once the opening
/// record exists, the prices), keeps one row per warning identity, and lets supervisors review them. Who sees what is
/// decided here, whatever a page shows: supervisors see the warnings of their region (a province-wide supervisor,
/// every one) and review them; staff see their own centre's read-only; anyone else is told nothing, not even that a
/// warning exists. Reviews commit with their trail record (<c>warnings.warning.confirmed|dismissed</c>).
/// </summary>
public sealed class WarningService(ITradingDatabase database, IAuditTrail trail, TimeProvider time)
{
    public const string ComputedAction = "warnings.section.computed";

    // ---------------------------------------------------------------- reading

    /// <summary>Largest page a list returns.</summary>
    public const int MaxPageSize = 200;

    /// <summary>Every warning the viewer may see, newest first (<see cref="PageAsync"/> without paging); refused to anyone but supervisors and centre staff.</summary>
    public async Task<IReadOnlyList<CollusionWarning>> ListAsync(WarningViewer viewer, WarningFilter? filter = null, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await Ordered(await QueryAsync(db, viewer, filter, cancellationToken)).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// One page of the warnings the viewer may see, newest found first, paged in the database (a province holds
    /// thousands); refused to anyone but supervisors and centre staff.
    /// </summary>
    public async Task<WarningPage> PageAsync(WarningViewer viewer, WarningFilter? filter, int skip, int take, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var query = await QueryAsync(db, viewer, filter, cancellationToken);
        var total = await query.CountAsync(cancellationToken);
        var rows = await Ordered(query).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, MaxPageSize)).ToListAsync(cancellationToken);
        return new WarningPage(rows, total);
    }

    /// <summary>The centres whose warnings the viewer sees, by code, for a list's centre filter; none for a viewer told nothing.</summary>
    public async Task<IReadOnlyList<TradingCentre>> CentresAsync(WarningViewer viewer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        if (!viewer.MaySeeWarnings)
        {
            return [];
        }

        await using var db = database.Create();
        var centres = await CentresOfAsync(db, viewer, cancellationToken);
        var all = db.Set<TradingCentre>().AsNoTracking();
        var rows = centres is null ? await all.ToListAsync(cancellationToken) : await all.Where(c => centres.Contains(c.Id)).ToListAsync(cancellationToken);
        return [.. rows.OrderBy(c => c.Code, StringComparer.Ordinal)];
    }

    private static async Task<IQueryable<CollusionWarning>> QueryAsync(TradingDbContext db, WarningViewer viewer, WarningFilter? filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        if (!viewer.MaySeeWarnings)
        {
            throw new ProjectAccessDeniedException();
        }

        filter ??= new WarningFilter();
        var centres = await CentresOfAsync(db, viewer, cancellationToken);
        var query = db.Set<CollusionWarning>().AsNoTracking();
        if (centres is not null)
        {
            query = query.Where(w => centres.Contains(w.CentreId));
        }

        if (filter.Centre is { } centre)
        {
            query = query.Where(w => w.CentreId == centre);
        }

        if (filter.State is { } state)
        {
            query = query.Where(w => w.State == state);
        }

        if (filter.Kind is { } kind)
        {
            query = query.Where(w => w.Kind == kind);
        }

        if (filter.ProjectId is { } projectId)
        {
            query = query.Where(w => w.ProjectId == projectId);
        }

        if (filter.SectionId is { } sectionId)
        {
            query = query.Where(w => w.SectionId == sectionId);
        }

        if (!string.IsNullOrWhiteSpace(filter.Project))
        {
            var text = filter.Project.Trim();
            query = query.Where(w => w.ProjectCode.Contains(text) || w.ProjectName.Contains(text));
        }

        if (filter.From is { } from)
        {
            var start = ChinaStandardTime.StartOf(from);
            query = query.Where(w => w.FirstComputedAt >= start);
        }

        if (filter.To is { } to)
        {
            var before = ChinaStandardTime.StartOf(to.AddDays(1));
            query = query.Where(w => w.FirstComputedAt < before);
        }

        return query;
    }

    // Newest found first; the rest only makes the order total, so pages never overlap or skip a row.
    private static IQueryable<CollusionWarning> Ordered(IQueryable<CollusionWarning> query) =>
        query.OrderByDescending(w => w.FirstComputedAt).ThenBy(w => w.ProjectCode).ThenBy(w => w.SectionCode).ThenBy(w => w.Kind).ThenBy(w => w.Id);

    /// <summary>One warning, or null when it does not exist or the viewer may not see it (the two look the same).</summary>
    public async Task<CollusionWarning?> GetAsync(WarningViewer viewer, Guid warningId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        if (!viewer.MaySeeWarnings)
        {
            return null;
        }

        await using var db = database.Create();
        var warning = await db.Set<CollusionWarning>().AsNoTracking().SingleOrDefaultAsync(w => w.Id == warningId, cancellationToken);
        return warning is not null && Sees(await CentresOfAsync(db, viewer, cancellationToken), warning.CentreId) ? warning : null;
    }

    /// <summary>The open warnings of a project (or one of its sections) the viewer may see; null for a viewer told nothing.</summary>
    public async Task<int?> OpenCountAsync(WarningViewer viewer, Guid projectId, Guid? sectionId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        if (!viewer.MaySeeWarnings)
        {
            return null;
        }

        await using var db = database.Create();
        var centre = await db.Set<Project>().Where(p => p.Id == projectId).Select(p => (Guid?)p.CentreId).SingleOrDefaultAsync(cancellationToken);
        if (centre is not { } centreId || !Sees(await CentresOfAsync(db, viewer, cancellationToken), centreId))
        {
            return null;
        }

        return await db.Set<CollusionWarning>().CountAsync(
            w => w.ProjectId == projectId && w.State == WarningState.Open && (sectionId == null || w.SectionId == sectionId), cancellationToken);
    }

    /// <summary>Whether the viewer reviews this warning: a supervisor whose region holds the project.</summary>
    public async Task<bool> MayReviewAsync(WarningViewer viewer, CollusionWarning warning, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        ArgumentNullException.ThrowIfNull(warning);
        if (!viewer.IsSupervisor || viewer.UserName.Length == 0)
        {
            return false;
        }

        await using var db = database.Create();
        return Sees(await CentresOfAsync(db, viewer, cancellationToken), warning.CentreId);
    }

    // ---------------------------------------------------------------- review (supervisors)

    /// <summary>
    /// A supervisor confirms (refers for investigation) or dismisses an open warning, with a required note; recorded in
    /// the trail in the same transaction. <paramref name="expectedVersion"/> is the version the supervisor read.
    /// </summary>
    public async Task<CollusionWarning> ReviewAsync(WarningViewer viewer, Guid warningId, int expectedVersion, bool confirm, string? note, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        if (!viewer.IsSupervisor || viewer.UserName.Length == 0)
        {
            throw new DomainRuleException(WarningRules.SupervisorOnly, "Only a supervisor reviews a collusion warning.");
        }

        var text = note?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            throw new DomainRuleException(WarningRules.NoteRequired, "A review needs a note saying why.");
        }

        if (text.Length > CollusionWarning.MaxNoteLength)
        {
            throw new DomainRuleException(WarningRules.NoteTooLong, $"A review note has at most {CollusionWarning.MaxNoteLength} characters.");
        }

        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var warning = await db.Set<CollusionWarning>().SingleOrDefaultAsync(w => w.Id == warningId, cancellationToken);
        if (warning is null || !Sees(await CentresOfAsync(db, viewer, cancellationToken), warning.CentreId))
        {
            throw new DomainRuleException(WarningRules.NotFound, $"No warning {warningId} this supervisor oversees.");
        }

        if (warning.Version != expectedVersion)
        {
            throw new DomainRuleException(warning.State == WarningState.Open ? WarningRules.Changed : WarningRules.AlreadyReviewed, "The warning changed meanwhile; reload it.");
        }

        warning.Review(confirm, viewer.UserName, text, time.GetUtcNow());
        await trail.AppendAsync(db, new AuditRecord(viewer.UserName, warning.CentreId, "collusion-warning", warning.Id.ToString(),
            confirm ? "warnings.warning.confirmed" : "warnings.warning.dismissed",
            new
            {
                projectId = warning.ProjectId,
                sectionId = warning.SectionId,
                warningId = warning.Id,
                kind = warning.Kind.ToString(),
                identity = warning.Identity,
                bidders = warning.Bidders.Select(b => b.EntityId),
                note = text,
            }), cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainRuleException(WarningRules.Changed, "The warning changed meanwhile; reload it.");
        }

        await tx.CommitAsync(cancellationToken);
        return warning;
    }

    // ---------------------------------------------------------------- computing

    /// <summary>A supervisor computes the section's warnings again (重新计算), recorded in the trail.</summary>
    public async Task<WarningComputation> RecomputeAsync(WarningViewer viewer, Guid sectionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        if (!viewer.IsSupervisor || viewer.UserName.Length == 0)
        {
            throw new DomainRuleException(WarningRules.SupervisorOnly, "Only a supervisor computes collusion warnings on demand.");
        }

        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var section = await SectionAsync(db, sectionId, cancellationToken);
        if (!Sees(await CentresOfAsync(db, viewer, cancellationToken), section.CentreId))
        {
            throw new DomainRuleException(WarningRules.SectionUnknown, $"No section {sectionId} this supervisor oversees.");
        }

        WarningComputation result;
        try
        {
            result = await ComputeAsync(db, section, cancellationToken);
            await trail.AppendAsync(db, new AuditRecord(viewer.UserName, section.CentreId, "section", sectionId.ToString(), ComputedAction,
                new { projectId = section.ProjectId, sectionId, found = result.Found, added = result.Added, lapsed = result.Lapsed }), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another computation of the section (the opening's) stored the same warning first.
            throw new DomainRuleException(WarningRules.Changed, "The section's warnings were being computed meanwhile; try again.");
        }

        await tx.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>Who the trail names for a computation a trade step ran (<see cref="RecordStepAsync"/>).</summary>
    public const string StepActor = "system:warnings";

    /// <summary>
    /// Records in the trail, in the caller's transaction, a computation a trade step ran (an opening starting or closing,
    /// a bidder admitted: <see cref="SectionWarnings"/>), so a supervisor can see the check ran and what it found.
    /// </summary>
    public async Task RecordStepAsync(TradingDbContext db, Guid sectionId, WarningComputation result, string occasion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(result);
        var section = await SectionAsync(db, sectionId, cancellationToken);
        await trail.AppendAsync(db, new AuditRecord(StepActor, section.CentreId, "section", sectionId.ToString(), ComputedAction,
            new { projectId = section.ProjectId, sectionId, occasion, found = result.Found, added = result.Added, lapsed = result.Lapsed }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Computes the section's warnings in the caller's transaction and saves them: a warning found again keeps its row
    /// (an open one takes the fresh evidence; a reviewed one stays as reviewed), a new one is added, and an open one no
    /// longer found (a bid withdrawn, a payment reassigned) is removed. Prices count only once the opening record exists.
    /// </summary>
    public async Task<WarningComputation> ComputeAsync(TradingDbContext db, Guid sectionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await ComputeAsync(db, await SectionAsync(db, sectionId, cancellationToken), cancellationToken);
    }

    private async Task<WarningComputation> ComputeAsync(TradingDbContext db, WarningSection section, CancellationToken cancellationToken)
    {
        var (findings, pricesComputed) = await FindAsync(db, section.SectionId, cancellationToken);
        var now = time.GetUtcNow();
        var existing = await db.Set<CollusionWarning>().Where(w => w.SectionId == section.SectionId).ToListAsync(cancellationToken);
        var byIdentity = existing.ToDictionary(w => w.Identity, StringComparer.Ordinal);
        var found = new HashSet<string>(StringComparer.Ordinal);
        var added = 0;
        foreach (var finding in findings)
        {
            var identity = CollusionWarning.IdentityOf(finding.Kind, section.SectionId, finding.Evidence);
            if (!found.Add(identity))
            {
                continue;
            }

            if (byIdentity.TryGetValue(identity, out var warning))
            {
                warning.FoundAgain(finding.Evidence, now);
            }
            else
            {
                db.Add(CollusionWarning.Found(section, finding.Kind, finding.Evidence, now));
                added++;
            }
        }

        var lapsed = existing.Where(w => w.State == WarningState.Open && !found.Contains(w.Identity)
                                         && (w.Kind != WarningKind.RegularPrices || pricesComputed)).ToList();
        db.RemoveRange(lapsed);
        await db.SaveChangesAsync(cancellationToken);
        return new WarningComputation(found.Count, added, lapsed.Count);
    }

    private static async Task<(List<WarningFinding> Findings, bool PricesComputed)> FindAsync(TradingDbContext db, Guid sectionId, CancellationToken cancellationToken)
    {
        var participations = await db.Set<Participation>().AsNoTracking().Where(p => p.SectionId == sectionId).ToListAsync(cancellationToken);
        var names = participations.GroupBy(p => p.EntityId).ToDictionary(g => g.Key, g => g.First().EntityName);

        var payments = await db.Set<BankPayment>().AsNoTracking()
            .Where(p => p.SectionId == sectionId && p.EntityId != null && p.Match == PaymentMatch.Matched).ToListAsync(cancellationToken);
        // Every version counts (a replaced one was handled too), but not a bidder that withdrew: it no longer bids.
        var bids = (await db.Set<SealedBid>().AsNoTracking().Include(b => b.Items).Where(b => b.SectionId == sectionId).ToListAsync(cancellationToken))
            .GroupBy(b => b.EntityId).Where(g => g.MaxBy(b => b.Version)!.State != SealedBidState.Withdrawn).SelectMany(g => g).ToList();

        var bidderIds = participations.Where(p => p.IsActive).Select(p => p.EntityId)
            .Concat(bids.Select(b => b.EntityId)).Concat(payments.Select(p => p.EntityId!.Value)).Distinct().ToList();
        var entities = await db.Set<MarketEntity>().AsNoTracking().Where(e => bidderIds.Contains(e.Id)).ToListAsync(cancellationToken);
        string Name(Guid entityId) => names.GetValueOrDefault(entityId) ?? entities.FirstOrDefault(e => e.Id == entityId)?.Name ?? entityId.ToString();

        var submissions = bids.Select(b => new SubmissionFact(b.EntityId, Name(b.EntityId), b.Version, b.SubmittedBy, b.ArrivedAt, b.ClientAddress,
            [.. b.Items.OrderBy(i => i.Position).Select(i => new BidFileFact(i.Name, i.PlaintextSm3, i.PlaintextSize))])).ToList();
        var profiles = entities.Where(e => participations.Any(p => p.EntityId == e.Id && p.IsActive) || bids.Any(b => b.EntityId == e.Id))
            .Select(e => (Entity: e, Profile: e.Verified ?? e.Current))
            .Select(x => new ProfileFact(x.Entity.Id, Name(x.Entity.Id), x.Profile.LegalRepresentative, [.. x.Profile.Contacts.Select(c => c.Phone)],
                x.Profile.LegalRepresentativeIdNumber))
            .ToList();

        var findings = new List<WarningFinding>();
        findings.AddRange(CollusionIndicators.SamePayerAccount(payments.Select(p =>
            new PaymentFact(p.EntityId!.Value, Name(p.EntityId.Value), p.PayerAccount, p.PayerName, p.Amount, p.ReceivedAt))));
        findings.AddRange(CollusionIndicators.SameSubmitter(submissions));
        findings.AddRange(CollusionIndicators.IdenticalBidFiles(submissions));
        findings.AddRange(CollusionIndicators.SameLegalRepresentative(profiles));
        findings.AddRange(CollusionIndicators.SameContactPhone(profiles));
        findings.AddRange(CollusionIndicators.CloseSubmissionsSameAddress(submissions));

        // Prices are sealed until the opening: only the signed record's are used.
        var record = await (from session in db.Set<OpeningSession>().AsNoTracking()
                            join r in db.Set<OpeningRecord>().AsNoTracking() on session.Id equals r.SessionId
                            where session.SectionId == sectionId
                            select r).FirstOrDefaultAsync(cancellationToken);
        if (record is not null)
        {
            findings.AddRange(CollusionIndicators.RegularPrices(record.Content.Entries
                .Select(e => (Entry: e, Ok: decimal.TryParse(e.Price, NumberStyles.Number, CultureInfo.InvariantCulture, out var price), Price: price))
                .Where(x => x.Ok)
                .Select(x => new PriceFact(x.Entry.EntityId, x.Entry.Bidder, x.Price))));
        }

        return (findings, record is not null);
    }

    private static async Task<WarningSection> SectionAsync(TradingDbContext db, Guid sectionId, CancellationToken cancellationToken) =>
        await (from section in db.Set<Section>().AsNoTracking()
               join project in db.Set<Project>().AsNoTracking() on section.ProjectId equals project.Id
               where section.Id == sectionId
               select new WarningSection(project.Id, section.Id, project.CentreId, project.Code, project.Name, section.Code)).SingleOrDefaultAsync(cancellationToken)
        ?? throw new DomainRuleException(WarningRules.SectionUnknown, $"No section {sectionId}.");

    /// <summary>The centres whose warnings the viewer sees: null for every centre (a province-wide supervisor).</summary>
    private static async Task<IReadOnlyCollection<Guid>?> CentresOfAsync(TradingDbContext db, WarningViewer viewer, CancellationToken cancellationToken)
    {
        if (viewer.IsSupervisor)
        {
            if (viewer.CentreId is not { } region)
            {
                return null;
            }

            var tree = new CentreTree(await db.Set<TradingCentre>().AsNoTracking().ToListAsync(cancellationToken));
            return tree.SelfAndBelow(region);
        }

        return viewer.IsStaff && viewer.CentreId is { } own ? [own] : [];
    }

    private static bool Sees(IReadOnlyCollection<Guid>? centres, Guid centreId) => centres is null || centres.Contains(centreId);
}

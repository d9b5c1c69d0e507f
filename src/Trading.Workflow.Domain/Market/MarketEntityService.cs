using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Trail;

namespace Trading.Workflow.Domain.Market;

/// <summary>Which entities a list shows.</summary>
public enum EntityListFilter
{
    /// <summary>Registrations and changes waiting for verification (the staff queue).</summary>
    Waiting,

    /// <summary>Returned for correction, not corrected yet.</summary>
    Returned,

    /// <summary>Verified entities with nothing waiting.</summary>
    Verified,

    All,
}

/// <summary>One row of an entity list.</summary>
public sealed record EntityListRow(
    Guid Id, string Name, string Identifier, EntityKind Kind, VerificationStatus Status, DateTimeOffset RegisteredAt,
    DateTimeOffset? SubmittedAt, DateTimeOffset? VerifiedAt);

public sealed record EntityPage(IReadOnlyList<EntityListRow> Rows, int Total);

/// <summary>The public part of an open invitation, shown to the invited user before accepting.</summary>
public sealed record InvitationView(Guid InvitationId, Guid EntityId, string EntityName, string UserName, string DisplayName, DateTimeOffset ExpiresAt);

/// <summary>An actor of a market action: the user id recorded, and the trading centre of staff (null for others).</summary>
public sealed record MarketActor(string UserId, Guid? CentreId = null);

/// <summary>
/// Everything that changes market entities: registration, changes submitted for re-verification, qualifications
/// with their scans, verification by staff, invitations and members. Each command runs in its own transaction with
/// its trail record (<see cref="IAuditTrail"/>), and throws <see cref="DomainRuleException"/> with a
/// <see cref="MarketRules"/> code when a rule refuses it; a concurrent change of the same entity is refused with
/// <see cref="MarketRules.ConcurrentChange"/> (reload and retry). Role checks (who is staff) are the caller's; the
/// membership rules (member, administrator) are checked here.
/// </summary>
public sealed class MarketEntityService(ITradingDatabase database, IAuditTrail trail, IFileStore files, DocumentService documents, TimeProvider clock)
{
    public const string SubjectType = "market-entity";

    /// <summary>Who uploaded a scan sent before its registrant had an account (the registration form).</summary>
    public const string RegistrationUploader = "market:registration";

    /// <summary>Today in China Standard Time, the day qualifications and ID birth dates are checked against.</summary>
    public DateOnly Today => ChinaDay(clock.GetUtcNow());

    public static DateOnly ChinaDay(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(TimeSpan.FromHours(8)).DateTime);

    /// <summary>
    /// Stores a scan of a certificate or licence (PDF, OFD, PNG, JPEG, checked from its content) as a document of the
    /// registry, of no centre and no project (entities are province-wide); <paramref name="uploadedBy"/> is the signed-in
    /// user's name, or null from the registration form (<see cref="RegistrationUploader"/>).
    /// </summary>
    public async Task<ScannedDocument> StoreScanAsync(Stream content, string fileName, string? uploadedBy, CancellationToken cancellationToken = default)
    {
        var actor = new DocumentActor(string.IsNullOrWhiteSpace(uploadedBy) ? RegistrationUploader : uploadedBy, [], null);
        var document = await documents.UploadAsync(content, fileName, new DocumentScope(), actor, FilePolicy.Scans, cancellationToken);
        return new ScannedDocument(document.Sha256, document.Name, document.Id);
    }

    /// <summary>The scan of the entity with this SHA-256 (any profile of it, current or past, names it).</summary>
    public async Task<ScannedDocument> FindScanAsync(Guid entityId, string sha256, CancellationToken cancellationToken = default)
    {
        var entity = await GetAsync(entityId, cancellationToken);
        return ScansOf(entity).FirstOrDefault(d => d.Sha256 == sha256)
               ?? throw new DomainRuleException(DocumentRules.NotFound, $"Entity {entityId} has no document {sha256}.");
    }

    /// <summary>Every scan any profile of the entity (verified, waiting, or in the history) names.</summary>
    public static IEnumerable<ScannedDocument> ScansOf(MarketEntity entity) =>
        Profiles(entity).SelectMany(p => p.Qualifications).SelectMany(q => q.Documents);

    /// <summary>
    /// Opens a scan stored before scans were registry documents (no <see cref="ScannedDocument.DocumentId"/>) after
    /// checking its hash; a registry scan is opened with <see cref="DocumentService.OpenDownloadAsync"/>, which checks
    /// the hash while streaming and records the download.
    /// </summary>
    public async Task<(Stream Content, string FileName)> OpenScanAsync(Guid entityId, string sha256, CancellationToken cancellationToken = default)
    {
        var document = await FindScanAsync(entityId, sha256, cancellationToken);
        return (await files.OpenVerifiedAsync(sha256, cancellationToken), document.FileName);
    }

    public async Task<bool> IsIdentifierRegisteredAsync(string identifier, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await db.Set<MarketEntity>().AnyAsync(e => e.Identifier == identifier, cancellationToken);
    }

    /// <summary>Registers an entity waiting for verification, its registering user as its first administrator.</summary>
    public async Task<MarketEntity> RegisterAsync(EntityKind kind, EntityProfile profile, MarketActor actor, CancellationToken cancellationToken = default)
    {
        var entity = MarketEntity.Register(kind, profile, actor.UserId, clock.GetUtcNow());
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.Set<MarketEntity>().AnyAsync(e => e.Identifier == entity.Identifier, cancellationToken))
        {
            throw AlreadyRegistered(entity.Identifier);
        }

        db.Add(entity);
        await AppendAsync(db, actor, entity.Id, "market.entity.registered",
            new { entityId = entity.Id, kind = kind.ToString(), name = profile.Name, identifier = entity.Identifier }, cancellationToken);
        foreach (var qualification in profile.Qualifications)
        {
            await AppendQualificationAsync(db, actor, entity.Id, qualification, cancellationToken);
        }

        await SaveAsync(db, cancellationToken, entity.Identifier);
        await tx.CommitAsync(cancellationToken);
        return entity;
    }

    /// <summary>
    /// A member submits changed data: it waits for verification, the verified data staying in force (and in the
    /// history once the change is approved). <paramref name="expectedVersion"/> is the version the member edited.
    /// </summary>
    public Task<MarketEntity> SubmitChangeAsync(Guid entityId, EntityProfile profile, int expectedVersion, MarketActor actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(entityId, expectedVersion, actor, async (db, entity) =>
        {
            var before = entity.Current;
            entity.SubmitChange(profile, actor.UserId, clock.GetUtcNow());
            await AppendAsync(db, actor, entity.Id, "market.entity.updated",
                new { entityId = entity.Id, fields = ChangedFields(before, profile) }, cancellationToken);
            foreach (var added in profile.Qualifications.Where(q => !before.Qualifications.Any(b => b.Kind == q.Kind && b.Number == q.Number)))
            {
                await AppendQualificationAsync(db, actor, entity.Id, added, cancellationToken);
            }

            await AppendAsync(db, actor, entity.Id, "market.entity.submitted", new { entityId = entity.Id, name = profile.Name }, cancellationToken);
        }, cancellationToken);

    /// <summary>Adds a qualification (its scans stored first with <see cref="StoreScanAsync"/>) and submits the change.</summary>
    public Task<MarketEntity> AddQualificationAsync(Guid entityId, Qualification qualification, int expectedVersion, MarketActor actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(entityId, expectedVersion, actor, async (db, entity) =>
        {
            if (qualification.Documents is not { Count: > 0 })
            {
                throw new DomainRuleException(MarketRules.QualificationScanRequired, "A qualification needs at least one scan of its certificate.");
            }

            var current = entity.Current;
            var profile = EntityProfile.Create(entity.Kind, current.Name, current.Identifier, current.LegalRepresentative,
                current.RegisteredAddress, current.RegionCode, current.BasicAccount, [.. current.Qualifications, qualification],
                current.Contacts, Today, current.LegalRepresentativeIdNumber);
            entity.SubmitChange(profile, actor.UserId, clock.GetUtcNow());
            await AppendQualificationAsync(db, actor, entity.Id, profile.Qualifications[^1], cancellationToken);
            await AppendAsync(db, actor, entity.Id, "market.entity.submitted", new { entityId = entity.Id, name = profile.Name }, cancellationToken);
        }, cancellationToken);

    /// <summary>Staff approve what waits: it becomes the verified profile, the previous one goes to the history.</summary>
    public Task<MarketEntity> ApproveAsync(Guid entityId, int expectedVersion, MarketActor staff, CancellationToken cancellationToken = default) =>
        ChangeAsync(entityId, expectedVersion, staff, async (db, entity) =>
        {
            var first = entity.Verified is null;
            entity.Approve(staff.UserId, clock.GetUtcNow());
            await AppendAsync(db, staff, entity.Id, "market.entity.approved",
                new { entityId = entity.Id, name = entity.Name, firstVerification = first }, cancellationToken);
        }, cancellationToken, requireMember: false);

    /// <summary>Staff return what waits with a reason the entity's users see.</summary>
    public Task<MarketEntity> ReturnAsync(Guid entityId, string reason, int expectedVersion, MarketActor staff, CancellationToken cancellationToken = default) =>
        ChangeAsync(entityId, expectedVersion, staff, async (db, entity) =>
        {
            entity.Return(staff.UserId, reason);
            await AppendAsync(db, staff, entity.Id, "market.entity.returned", new { entityId = entity.Id, reason = entity.ReturnReason }, cancellationToken);
        }, cancellationToken, requireMember: false);

    /// <summary>
    /// An administrator invites a user by the user name the account will have; returns the invitation and the token
    /// for its link (shown once: only its hash is kept). <paramref name="isUserNameTaken"/> is asked before (accounts
    /// live in the web's identity store).
    /// </summary>
    public async Task<(MemberInvitation Invitation, string Token)> InviteAsync(
        Guid entityId, string userName, string displayName, bool asAdministrator, MarketActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var entity = await LoadAsync(db, entityId, cancellationToken);
        var (invitation, token) = MemberInvitation.Create(entity, actor.UserId, userName, displayName, asAdministrator, clock.GetUtcNow());
        var pending = await db.Set<MemberInvitation>()
            .Where(i => i.UserName == invitation.UserName && i.AcceptedAt == null && i.RevokedAt == null)
            .ToListAsync(cancellationToken);
        if (pending.Any(i => i.IsOpen(clock.GetUtcNow())))
        {
            throw new DomainRuleException(MarketRules.UserNameTaken, $"An open invitation already proposes the user name {invitation.UserName}.");
        }

        db.Add(invitation);
        await AppendAsync(db, actor, entity.Id, "market.member.invited",
            new { entityId = entity.Id, invitationId = invitation.Id, userName = invitation.UserName, asAdministrator }, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return (invitation, token);
    }

    /// <summary>The open invitation a link's token stands for; throws the reason when it cannot be used.</summary>
    public async Task<InvitationView> FindInvitationAsync(string token, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var invitation = await FindByTokenAsync(db, token, cancellationToken);
        invitation.EnsureOpen(clock.GetUtcNow());
        var entity = await LoadAsync(db, invitation.EntityId, cancellationToken);
        return new InvitationView(invitation.Id, entity.Id, entity.DisplayName, invitation.UserName, invitation.DisplayName, invitation.ExpiresAt);
    }

    /// <summary>The invited user's account exists now (<paramref name="userId"/>): the user joins the entity.</summary>
    public async Task<EntityMember> AcceptInvitationAsync(string token, string userId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var invitation = await FindByTokenAsync(db, token, cancellationToken);
        var entity = await LoadAsync(db, invitation.EntityId, cancellationToken);
        var member = invitation.Accept(entity, userId, clock.GetUtcNow());
        await AppendAsync(db, new MarketActor(userId), entity.Id, "market.member.joined",
            new { entityId = entity.Id, invitationId = invitation.Id, userId, isAdministrator = member.IsAdministrator }, cancellationToken);
        await SaveAsync(db, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return member;
    }

    /// <summary>An administrator withdraws an open invitation.</summary>
    public async Task RevokeInvitationAsync(Guid invitationId, MarketActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var invitation = await db.Set<MemberInvitation>().SingleOrDefaultAsync(i => i.Id == invitationId, cancellationToken)
            ?? throw new DomainRuleException(MarketRules.InvitationInvalid, "No such invitation.");
        var entity = await LoadAsync(db, invitation.EntityId, cancellationToken);
        invitation.Revoke(entity, actor.UserId, clock.GetUtcNow());
        await AppendAsync(db, actor, entity.Id, "market.member.invitation-revoked",
            new { entityId = entity.Id, invitationId, userName = invitation.UserName }, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>An administrator removes a user from the entity (the last administrator stays).</summary>
    public async Task RemoveMemberAsync(Guid entityId, string userId, MarketActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var entity = await LoadAsync(db, entityId, cancellationToken);
        if (!entity.RemoveMember(actor.UserId, userId))
        {
            throw new DomainRuleException(MarketRules.NotAMemberAdministrator, $"User {userId} does not act for this entity.");
        }

        await AppendAsync(db, actor, entity.Id, "market.member.removed", new { entityId = entity.Id, userId }, cancellationToken);
        await SaveAsync(db, cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>The entity with its members and history, untracked; throws <see cref="MarketRules.EntityNotFound"/>.</summary>
    public async Task<MarketEntity> GetAsync(Guid entityId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await db.Set<MarketEntity>().AsNoTracking().SingleOrDefaultAsync(e => e.Id == entityId, cancellationToken)
            ?? throw NotFound(entityId);
    }

    /// <summary>
    /// The registration's verification steps from the trail, oldest first: registered, submitted, returned (with the reason
    /// staff gave), approved. The entity row keeps only the latest return, which a resubmission clears.
    /// </summary>
    public async Task<IReadOnlyList<VerificationStep>> VerificationStepsAsync(Guid entityId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var subject = entityId.ToString("D");
        var rows = await db.Set<AuditEntry>().AsNoTracking()
            .Where(e => e.SubjectType == SubjectType && e.SubjectId == subject && VerificationActions.Contains(e.Action))
            .OrderBy(e => e.Sequence)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new VerificationStep(r.OccurredAt, r.Actor, r.Action["market.entity.".Length..], ReasonOf(r.Data)))];
    }

    private static readonly string[] VerificationActions = ["market.entity.registered", "market.entity.submitted", "market.entity.returned", "market.entity.approved"];

    private static string? ReasonOf(string data)
    {
        using var json = System.Text.Json.JsonDocument.Parse(data);
        return json.RootElement.TryGetProperty("reason", out var reason) && reason.ValueKind == System.Text.Json.JsonValueKind.String ? reason.GetString() : null;
    }

    /// <summary>The entity's invitations, newest first.</summary>
    public async Task<IReadOnlyList<MemberInvitation>> InvitationsOfAsync(Guid entityId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var list = await db.Set<MemberInvitation>().AsNoTracking().Where(i => i.EntityId == entityId).ToListAsync(cancellationToken);
        return [.. list.OrderByDescending(i => i.CreatedAt)];
    }

    /// <summary>A page of entities for the verification queue and the directory, oldest submission first when waiting.</summary>
    public async Task<EntityPage> ListAsync(EntityListFilter filter, string? search, int skip, int take, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var query = db.Set<MarketEntity>().AsNoTracking();
        query = filter switch
        {
            EntityListFilter.Waiting => query.Where(e => e.SubmissionState == SubmissionState.Pending),
            EntityListFilter.Returned => query.Where(e => e.SubmissionState == SubmissionState.Returned),
            EntityListFilter.Verified => query.Where(e => e.VerifiedAt != null && e.SubmissionState == null),
            _ => query,
        };
        if (!string.IsNullOrWhiteSpace(search))
        {
            var text = search.Trim();
            var code = text.ToUpperInvariant();
            query = query.Where(e => e.Name.Contains(text) || e.Identifier.StartsWith(code));
        }

        var total = await query.CountAsync(cancellationToken);
        skip = Math.Max(0, skip);
        take = Math.Clamp(take, 1, 200);
        List<EntityListRow> rows;
        if (filter != EntityListFilter.Waiting)
        {
            rows = await Project(query.OrderBy(e => e.Name).ThenBy(e => e.Identifier).Skip(skip).Take(take)).ToListAsync(cancellationToken);
        }
        else if (db.Database.IsSqlite())
        {
            // EF Core cannot order by DateTimeOffset on SQLite (stored as text); the waiting queue is short, so it is
            // ordered here. PostgreSQL orders and pages in SQL.
            rows = [.. (await Project(query).ToListAsync(cancellationToken)).OrderBy(e => e.SubmittedAt).ThenBy(e => e.Name, StringComparer.Ordinal).Skip(skip).Take(take)];
        }
        else
        {
            rows = await Project(query.OrderBy(e => e.SubmittedAt).ThenBy(e => e.Name).Skip(skip).Take(take)).ToListAsync(cancellationToken);
        }

        return new EntityPage(rows, total);
    }

    private static IQueryable<EntityListRow> Project(IQueryable<MarketEntity> query) =>
        query.Select(e => new EntityListRow(e.Id, e.Name, e.Identifier, e.Kind,
            e.VerifiedAt == null
                ? (e.SubmissionState == SubmissionState.Returned ? VerificationStatus.Returned : VerificationStatus.PendingVerification)
                : (e.SubmissionState == SubmissionState.Pending ? VerificationStatus.VerifiedChangePending
                    : e.SubmissionState == SubmissionState.Returned ? VerificationStatus.VerifiedChangeReturned : VerificationStatus.Verified),
            e.RegisteredAt, e.SubmittedAt, e.VerifiedAt));

    private static IEnumerable<EntityProfile> Profiles(MarketEntity entity)
    {
        if (entity.Verified is not null)
        {
            yield return entity.Verified;
        }

        if (entity.Submitted is not null)
        {
            yield return entity.Submitted;
        }

        foreach (var previous in entity.History)
        {
            yield return previous.Profile;
        }
    }

    private static string[] ChangedFields(EntityProfile before, EntityProfile after)
    {
        var fields = new List<string>();
        if (before.Name != after.Name) fields.Add("name");
        if (before.LegalRepresentative != after.LegalRepresentative) fields.Add("legalRepresentative");
        if (before.LegalRepresentativeIdNumber != after.LegalRepresentativeIdNumber) fields.Add("legalRepresentativeIdNumber");
        if (before.RegisteredAddress != after.RegisteredAddress) fields.Add("registeredAddress");
        if (before.RegionCode != after.RegionCode) fields.Add("region");
        if (before.BasicAccount != after.BasicAccount) fields.Add("basicAccount");
        if (!before.Qualifications.SequenceEqual(after.Qualifications, QualificationEquality.Instance)) fields.Add("qualifications");
        if (!before.Contacts.SequenceEqual(after.Contacts)) fields.Add("contacts");
        return [.. fields];
    }

    private async Task<MarketEntity> ChangeAsync(
        Guid entityId, int expectedVersion, MarketActor actor, Func<TradingDbContext, MarketEntity, Task> change,
        CancellationToken cancellationToken, bool requireMember = true)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var entity = await LoadAsync(db, entityId, cancellationToken);
        if (entity.Version != expectedVersion)
        {
            throw Concurrent();
        }

        if (requireMember && !entity.IsMember(actor.UserId))
        {
            throw new DomainRuleException(MarketRules.NotAMemberAdministrator, $"User {actor.UserId} does not act for this entity.");
        }

        await change(db, entity);
        await SaveAsync(db, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return entity;
    }

    private static async Task<MarketEntity> LoadAsync(TradingDbContext db, Guid entityId, CancellationToken cancellationToken) =>
        await db.Set<MarketEntity>().SingleOrDefaultAsync(e => e.Id == entityId, cancellationToken) ?? throw NotFound(entityId);

    private static async Task<MemberInvitation> FindByTokenAsync(TradingDbContext db, string token, CancellationToken cancellationToken)
    {
        var hash = MemberInvitation.HashToken(token);
        return await db.Set<MemberInvitation>().SingleOrDefaultAsync(i => i.TokenHash == hash, cancellationToken)
            ?? throw new DomainRuleException(MarketRules.InvitationInvalid, "This invitation link is not valid.");
    }

    private Task AppendQualificationAsync(TradingDbContext db, MarketActor actor, Guid entityId, Qualification q, CancellationToken cancellationToken) =>
        AppendAsync(db, actor, entityId, "market.qualification.added",
            new { entityId, kind = q.Kind, grade = q.Grade, number = q.Number, validUntil = q.ValidUntil, documents = q.Documents.Select(d => d.Sha256).ToArray() },
            cancellationToken);

    private Task AppendAsync(TradingDbContext db, MarketActor actor, Guid entityId, string action, object data, CancellationToken cancellationToken) =>
        trail.AppendAsync(db, new AuditRecord(actor.UserId, actor.CentreId, SubjectType, entityId.ToString("D"), action, data), cancellationToken);

    private static async Task SaveAsync(TradingDbContext db, CancellationToken cancellationToken, string? identifier = null)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw Concurrent();
        }
        catch (DbUpdateException) when (identifier is not null)
        {
            // The unique index on the identifier: another registration of the same code won the race.
            throw AlreadyRegistered(identifier);
        }
    }

    private static DomainRuleException Concurrent() =>
        new(MarketRules.ConcurrentChange, "The entity was changed by someone else in the meantime; reload it and try again.");

    private static DomainRuleException NotFound(Guid entityId) => new(MarketRules.EntityNotFound, $"No market entity {entityId}.");

    private static DomainRuleException AlreadyRegistered(string identifier) =>
        new(MarketRules.AlreadyRegistered, $"An entity with the code {identifier} is registered already; ask its administrator to invite you.");

    private sealed class QualificationEquality : IEqualityComparer<Qualification>
    {
        public static readonly QualificationEquality Instance = new();

        public bool Equals(Qualification? x, Qualification? y) =>
            x is not null && y is not null && x.Kind == y.Kind && x.Grade == y.Grade && x.Number == y.Number && x.Issuer == y.Issuer
            && x.ValidUntil == y.ValidUntil && x.Documents.SequenceEqual(y.Documents);

        public int GetHashCode(Qualification obj) => HashCode.Combine(obj.Kind, obj.Number);
    }
}

/// <summary>One step of a registration's verification: <see cref="Action"/> is registered, submitted, returned or approved.</summary>
public sealed record VerificationStep(DateTimeOffset At, string Actor, string Action, string? Reason);

using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Printing;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Admin;

namespace Trading.Workflow.Domain.Archive;

/// <summary>
/// 资料归档: packs everything the platform holds about a project into one zip — every registry document of the project
/// (tender documents, bids, the contract, notices' attachments, issued PDFs), the signed opening records, the
/// committee's evaluation report, the notices, the deposits' ledgers and instructions, the procedure's engine history
/// and the project's trail records — with a manifest of SM3 hashes and the manifest's own SM3; stores the package in
/// the Documents registry (staff of the centre and supervisors download it, and the parties an <see cref="IArchiveReaders"/> names) and marks the project archived, which makes
/// it read-only (<see cref="ArchiveGuard"/>) and, when it was running, completed (<see cref="ProjectState.Completed"/>). Trail: <c>archive.project.archived</c>.
/// </summary>
public sealed class ArchiveService(ITradingDatabase database, DocumentService documents, IFileStore files, IAuditTrail trail, IServiceProvider services, TimeProvider time)
{
    /// <summary>Packages of every size (a project's bids can be large); only zips.</summary>
    public static readonly FilePolicy PackagePolicy = new([FileKind.Zip], 64L * 1024 * 1024 * 1024);

    /// <summary>The most rows <see cref="SearchAsync"/> returns at once.</summary>
    public const int MaxPage = 100;

    private static readonly JsonSerializerOptions Json = ArchiveManifest.Json;

    /// <summary>Archives the project in its own transaction (a staff action, a CLI).</summary>
    public async Task<ProjectArchive> ArchiveAsync(Guid projectId, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var archive = await ArchiveAsync(db, projectId, actor, null, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return archive;
    }

    /// <summary>
    /// Archives the project in the caller's transaction (the <c>archive.archiveProject</c> handler: the engine's command).
    /// Archiving an archived project returns the archive it has.
    /// </summary>
    /// <param name="step">
    /// The procedure step doing the archiving (the handler passes it): its own history is written into the package as
    /// <c>history/archive-step.json</c>, since the engine commits the step's events only after the package is built.
    /// </param>
    public async Task<ProjectArchive> ArchiveAsync(TradingDbContext db, Guid projectId, string actor, string? instanceId, CancellationToken cancellationToken, ArchiveStep? step = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        if (await db.Set<ProjectArchive>().AsNoTracking().FirstOrDefaultAsync(a => a.ProjectId == projectId, cancellationToken) is { } done)
        {
            return done;
        }

        // What the steps before this one recorded in the command (a termination, a result) is read back below.
        await db.SaveChangesAsync(cancellationToken);
        var project = await db.Set<Project>().AsNoTracking().Include(p => p.Sections).FirstOrDefaultAsync(p => p.Id == projectId, cancellationToken)
            ?? throw new DomainRuleException(ArchiveRules.ProjectNotFound, $"Project {projectId} does not exist.");
        var now = time.GetUtcNow();
        var temporary = Path.Combine(Path.GetTempPath(), "tw-archive-" + Guid.NewGuid().ToString("N") + ".zip");
        try
        {
            ArchiveManifest manifest;
            await using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8);
                var entries = new List<ArchiveEntry>();
                await AddDocumentsAsync(db, zip, project, entries, cancellationToken);
                await AddRecordsAsync(db, zip, project, entries, cancellationToken);
                await AddHistoryAsync(db, zip, project, entries, cancellationToken);
                if (step is not null)
                {
                    entries.Add(await WriteJsonAsync(zip, "history/archive-step.json", new
                    {
                        step.InstanceId, step.ProcessId, step.ProcessVersion, step.ElementId, step.ElementName, step.Handler, step.BusinessKey,
                        packedAt = now, actor,
                        // What this step does after the package is sealed, in the same transaction as the engine's
                        // completion of the step (neither can be inside the package whose hash they name).
                        then = "archive.project.archived: the package registered, the project read-only, the step completed",
                    }, $"archive-step:{step.InstanceId}:{step.ElementId}", cancellationToken));
                }

                manifest = new ArchiveManifest(ArchiveManifest.FormatName, project.Id, project.Code, project.Name, project.TradeType, now, actor, entries);
                var manifestBytes = manifest.ToBytes();
                await WriteAsync(zip, ArchiveManifest.ManifestPath, manifestBytes, cancellationToken);
                await WriteAsync(zip, ArchiveManifest.ManifestHashPath, Encoding.ASCII.GetBytes(ArchiveManifest.Sm3Hex(manifestBytes) + "\n"), cancellationToken);
            }

            var manifestSm3 = ArchiveManifest.Sm3Hex(manifest.ToBytes());
            Document package;
            await using (var input = new FileStream(temporary, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous))
            {
                package = await documents.UploadAsync(db, input, $"归档-{project.Code}.zip", new DocumentScope(project.CentreId, project.Id, null),
                    new DocumentActor(actor, [], project.CentreId), PackagePolicy, archiving: true, cancellationToken);
            }

            var archive = ProjectArchive.Create(project.Id, project.CentreId, project.Code, now, actor, package, manifestSm3, manifest.Files.Count, instanceId);
            db.Add(archive);
            // The archive is the procedure's last stage: with it the project is complete (a terminated one stays terminated).
            var running = await db.Set<Project>().SingleAsync(p => p.Id == project.Id, cancellationToken);
            if (running.State == ProjectState.Submitted)
            {
                running.Complete(now);
            }

            await trail.AppendAsync(db, new AuditRecord(actor, project.CentreId, "project", project.Id.ToString(), "archive.project.archived",
                new { projectId = project.Id, projectCode = project.Code, documentId = package.Id, packageSm3 = package.Sm3, manifestSm3, entries = manifest.Files.Count, instanceId }),
                cancellationToken);
            return archive;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>The archive of a project; null while it is not archived.</summary>
    public async Task<ProjectArchive?> FindAsync(Guid projectId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await db.Set<ProjectArchive>().AsNoTracking().FirstOrDefaultAsync(a => a.ProjectId == projectId, cancellationToken);
    }

    /// <summary>
    /// A page of the archived projects of the given centres (every centre when null), newest first, those whose code
    /// holds <paramref name="code"/> when given (any case); paged and counted in the database, as a centre archives
    /// every project it ever ran.
    /// </summary>
    public async Task<ArchivePage> SearchAsync(IReadOnlyCollection<Guid>? centreIds, string? code, int skip, int take, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var query = db.Set<ProjectArchive>().AsNoTracking();
        if (centreIds is not null)
        {
            query = query.Where(a => centreIds.Contains(a.CentreId));
        }

        return await PageAsync(query, code, skip, take, cancellationToken);
    }

    /// <summary>
    /// As <see cref="SearchAsync"/>, the archives a party
    /// of their projects may read (<see cref="IArchiveReaders"/>: a grantor its own offerings', a tenderee its own tenders'); none for anyone else.
    /// </summary>
    public async Task<ArchivePage> SearchForPartyAsync(ProjectPrincipal party, string? code, int skip, int take, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(party);
        await using var db = database.Create();
        if (ReadableBy(services.GetServices<IArchiveReaders>(), db, party) is not { } readable)
        {
            return new ArchivePage([], 0);
        }

        return await PageAsync(db.Set<ProjectArchive>().AsNoTracking().Where(a => readable.Contains(a.ProjectId)), code, skip, take, cancellationToken);
    }

    /// <summary>Whether the project is archived and the party may read its archive (<see cref="IArchiveReaders"/>).</summary>
    public async Task<bool> MayReadAsPartyAsync(ProjectPrincipal party, Guid projectId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(party);
        await using var db = database.Create();
        return ReadableBy(services.GetServices<IArchiveReaders>(), db, party) is { } readable
            && await db.Set<ProjectArchive>().AsNoTracking().AnyAsync(a => a.ProjectId == projectId && readable.Contains(a.ProjectId), cancellationToken);
    }

    /// <summary>The projects every part's rule lets the party read, as one query; null when none does.</summary>
    internal static IQueryable<Guid>? ReadableBy(IEnumerable<IArchiveReaders> readers, TradingDbContext db, ProjectPrincipal party)
    {
        IQueryable<Guid>? all = null;
        foreach (var rule in readers)
        {
            if (rule.ProjectsReadableBy(db, party) is { } ids)
            {
                all = all is null ? ids : all.Union(ids);
            }
        }

        return all;
    }

    private static async Task<ArchivePage> PageAsync(IQueryable<ProjectArchive> query, string? code, int skip, int take, CancellationToken cancellationToken)
    {
        if (code?.Trim() is { Length: > 0 } term)
        {
            var upper = term.ToUpperInvariant();
            query = query.Where(a => a.ProjectCode.ToUpper().Contains(upper));
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(a => a.ArchivedAt).ThenBy(a => a.ProjectCode)
            .Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, MaxPage)).ToListAsync(cancellationToken);
        return new ArchivePage(rows, total);
    }

    /// <summary>
    /// Records, in the caller's transaction, a supplement (补充归档) of the project's archive for a deposit that became
    /// final: the project's deposit ledgers as they now stand, the event, and the project's trail records since the
    /// archive, in a package of its own linked to the original package and to the previous supplement by their SM3s;
    /// trail <c>archive.supplement.added</c> with both packages' hashes. The original package is left as it is. Nothing
    /// for a project not archived; the same event again returns the supplement it made.
    /// </summary>
    public async Task<ArchiveSupplement?> SupplementAsync(TradingDbContext db, DepositSettled settled, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(settled);
        var archive = await db.Set<ProjectArchive>().AsNoTracking().FirstOrDefaultAsync(a => a.ProjectId == settled.ProjectId, cancellationToken);
        if (archive is null)
        {
            return null;
        }

        if (db.Database.IsNpgsql())
        {
            // One supplement of a project at a time (numbers and the chain of hashes); taken after the caller's section lock.
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM tr_archive_projects WHERE project_id = {archive.ProjectId} FOR UPDATE", cancellationToken);
        }

        var supplements = db.Set<ArchiveSupplement>().AsNoTracking().Where(x => x.ProjectId == archive.ProjectId);
        if (await supplements.FirstOrDefaultAsync(x => x.Reason == settled.Kind && x.SubjectId == settled.SubjectId, cancellationToken) is { } made)
        {
            return made;
        }

        // What the caller recorded in this transaction (the bank's outcome, its trail record) is read back below.
        await db.SaveChangesAsync(cancellationToken);
        var project = await db.Set<Project>().AsNoTracking().FirstAsync(p => p.Id == archive.ProjectId, cancellationToken);
        var previous = await supplements.OrderByDescending(x => x.Sequence).FirstOrDefaultAsync(cancellationToken);
        var sequence = (previous?.Sequence ?? 0) + 1;
        var now = time.GetUtcNow();
        var link = new ArchiveSupplementLink(sequence, settled.Kind, settled.SubjectId, archive.PackageDocumentId, archive.PackageSm3, archive.ManifestSm3, previous?.ManifestSm3);
        var temporary = Path.Combine(Path.GetTempPath(), "tw-archive-supplement-" + Guid.NewGuid().ToString("N") + ".zip");
        try
        {
            ArchiveManifest manifest;
            List<SupplementLedgerLine> ledger;
            await using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8);
                var entries = new List<ArchiveEntry>
                {
                    await WriteJsonAsync(zip, "records/supplement.json", new { supplement = link, settled, madeAt = now }, $"deposit-settled:{settled.SubjectId}", cancellationToken),
                };
                // The other sections are read as committed, not locked: their own outcomes make their own supplements.
                ledger = await WriteDepositsAsync(db, zip, project.Id, entries, lockSections: false, cancellationToken);
                entries.Add(await WriteJsonAsync(zip, "records/deposit-ledger.json", ledger, "deposit-ledger", cancellationToken));
                entries.Add(await WriteTrailAsync(db, zip, project.Id, await ArchivedRecordAsync(db, project.Id, cancellationToken), cancellationToken));
                manifest = new ArchiveManifest(ArchiveManifest.SupplementFormatName, project.Id, project.Code, project.Name, project.TradeType, now, settled.Actor, entries, link);
                var manifestBytes = manifest.ToBytes();
                await WriteAsync(zip, ArchiveManifest.ManifestPath, manifestBytes, cancellationToken);
                await WriteAsync(zip, ArchiveManifest.ManifestHashPath, Encoding.ASCII.GetBytes(ArchiveManifest.Sm3Hex(manifestBytes) + "\n"), cancellationToken);
            }

            var manifestSm3 = ArchiveManifest.Sm3Hex(manifest.ToBytes());
            Document package;
            await using (var input = new FileStream(temporary, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous))
            {
                package = await documents.UploadAsync(db, input, $"补充归档-{project.Code}-{sequence:00}.zip", new DocumentScope(project.CentreId, project.Id, null),
                    new DocumentActor(settled.Actor, [], project.CentreId), PackagePolicy, archiving: true, cancellationToken);
            }

            var supplement = ArchiveSupplement.Create(archive, sequence, settled, now, package, manifestSm3, manifest.Files.Count, previous?.ManifestSm3, ledger);
            db.Add(supplement);
            await trail.AppendAsync(db, new AuditRecord(settled.Actor, project.CentreId, "project", project.Id.ToString(), SupplementAction,
                new
                {
                    projectId = project.Id, projectCode = project.Code, supplementId = supplement.Id, sequence, reason = settled.Kind, subjectId = settled.SubjectId,
                    sectionId = settled.SectionId, entityId = settled.EntityId, documentId = package.Id, packageSm3 = package.Sm3, manifestSm3,
                    originalDocumentId = archive.PackageDocumentId, originalPackageSm3 = archive.PackageSm3, originalManifestSm3 = archive.ManifestSm3,
                    previousManifestSm3 = previous?.ManifestSm3,
                }), cancellationToken);
            return supplement;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>The trail action of a supplement.</summary>
    public const string SupplementAction = "archive.supplement.added";

    /// <summary>The supplements of a project's archive, in order.</summary>
    public async Task<IReadOnlyList<ArchiveSupplement>> SupplementsAsync(Guid projectId, CancellationToken cancellationToken = default) =>
        (await SupplementsOfAsync([projectId], cancellationToken)).GetValueOrDefault(projectId) ?? [];

    /// <summary>The supplements of the given projects' archives (a page of the list), each project's in order.</summary>
    public async Task<IReadOnlyDictionary<Guid, IReadOnlyList<ArchiveSupplement>>> SupplementsOfAsync(IReadOnlyCollection<Guid> projectIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(projectIds);
        await using var db = database.Create();
        var rows = await db.Set<ArchiveSupplement>().AsNoTracking().Where(x => projectIds.Contains(x.ProjectId)).ToListAsync(cancellationToken);
        return rows.GroupBy(x => x.ProjectId).ToDictionary(g => g.Key, g => (IReadOnlyList<ArchiveSupplement>)[.. g.OrderBy(x => x.Sequence)]);
    }

    /// <summary>
    /// Checks the stored package of a project against its manifest and the manifest's SM3 the platform recorded, and each
    /// supplement the same way and against its links (the original's hashes, the previous supplement's, numbers without
    /// gaps), and that every supplement the trail recorded is still there (read straight from the store; the download
    /// page records downloads itself).
    /// </summary>
    public async Task<StoredArchiveVerification> VerifyStoredAsync(Guid projectId, CancellationToken cancellationToken = default)
    {
        var archive = await FindAsync(projectId, cancellationToken)
            ?? throw new DomainRuleException(ArchiveRules.NotArchived, $"Project {projectId} is not archived.");
        var original = await VerifyPackageAsync(archive.PackageDocumentId, archive.ManifestSm3, cancellationToken);
        var checkedSupplements = new List<SupplementVerification>();
        string? previous = null;
        var expected = 1;
        foreach (var supplement in await SupplementsAsync(projectId, cancellationToken))
        {
            var package = await VerifyPackageAsync(supplement.PackageDocumentId, supplement.ManifestSm3, cancellationToken);
            var link = package.Manifest?.Supplement;
            var linked = link is not null && supplement.Sequence == expected && link.Sequence == supplement.Sequence
                         && link.Reason == supplement.Reason && link.SubjectId == supplement.SubjectId
                         && link.OriginalPackageDocumentId == archive.PackageDocumentId
                         && string.Equals(link.OriginalPackageSm3, archive.PackageSm3, StringComparison.OrdinalIgnoreCase)
                         && string.Equals(link.OriginalManifestSm3, archive.ManifestSm3, StringComparison.OrdinalIgnoreCase)
                         && string.Equals(supplement.OriginalManifestSm3, archive.ManifestSm3, StringComparison.OrdinalIgnoreCase)
                         && string.Equals(link.PreviousManifestSm3, previous, StringComparison.OrdinalIgnoreCase)
                         && string.Equals(supplement.PreviousManifestSm3, previous, StringComparison.OrdinalIgnoreCase);
            checkedSupplements.Add(new SupplementVerification(supplement.Sequence, package, linked));
            previous = supplement.ManifestSm3;
            expected++;
        }

        // A supplement row deleted (with its package) still has its trail record.
        await using var db = database.Create();
        var id = projectId.ToString();
        var recorded = await db.Set<AuditEntry>().AsNoTracking().Where(e => e.Action == SupplementAction && e.SubjectId == id).Select(e => e.Data).ToListAsync(cancellationToken);
        var missing = recorded.Select(data => JsonDocument.Parse(data).RootElement.GetProperty("sequence").GetInt32())
            .Where(n => !checkedSupplements.Any(c => c.Sequence == n)).Order().ToList();
        return new StoredArchiveVerification(original, checkedSupplements, missing);
    }

    private async Task<ArchiveVerification> VerifyPackageAsync(Guid documentId, string manifestSm3, CancellationToken cancellationToken)
    {
        var package = await documents.FindAsync(documentId, cancellationToken)
            ?? throw new DomainRuleException(DocumentRules.NotFound, $"The package {documentId} is missing.");
        await using var stream = await files.OpenAsync(package.Sha256, cancellationToken);
        return await ArchiveManifest.VerifyAsync(stream, manifestSm3, cancellationToken);
    }

    private async Task AddDocumentsAsync(TradingDbContext db, ZipArchive zip, Project project, List<ArchiveEntry> entries, CancellationToken cancellationToken)
    {
        var registered = await db.Set<Document>().AsNoTracking().Where(d => d.ProjectId == project.Id).ToListAsync(cancellationToken);
        var official = await db.Set<OfficialDocumentRecord>().AsNoTracking().Where(d => d.ProjectId == project.Id).ToListAsync(cancellationToken);
        var officialByDocument = official.ToDictionary(o => o.DocumentId);
        var sections = project.Sections.ToDictionary(s => s.Id, s => s.Code);
        foreach (var document in registered.OrderBy(d => d.UploadedAt).ThenBy(d => d.Id))
        {
            var folder = officialByDocument.ContainsKey(document.Id) ? "issued" : "documents";
            var section = document.SectionId is { } sid && sections.TryGetValue(sid, out var code) ? code + "/" : string.Empty;
            var path = $"{folder}/{section}{document.Id:N}-{SafeName(document.Name)}";
            var source = officialByDocument.TryGetValue(document.Id, out var issued) ? $"official-document:{issued.Id}" : $"document:{document.Id}";
            await using var content = await files.OpenAsync(document.Sha256, cancellationToken);
            entries.Add(await WriteAsync(zip, path, content, source, document.Sm3, cancellationToken));
        }

        if (official.Count > 0)
        {
            entries.Add(await WriteJsonAsync(zip, "records/issued-documents.json", official.OrderBy(o => o.IssuedAt).Select(o => o.ToIssued()).ToList(), "official-documents", cancellationToken));
        }
    }

    private async Task AddRecordsAsync(TradingDbContext db, ZipArchive zip, Project project, List<ArchiveEntry> entries, CancellationToken cancellationToken)
    {
        entries.Add(await WriteJsonAsync(zip, "records/project.json", new
        {
            project.Id, project.Code, project.Name, project.TradeType, project.CentreId, project.OwnerName, project.AgencyName, project.RegionCode,
            State = project.State.ToString(),
            Sections = project.Sections.OrderBy(s => s.Number).Select(s => new { s.Id, s.Code, s.Number }),
        }, "project", cancellationToken));

        var sessions = await db.Set<OpeningSession>().AsNoTracking().Where(s => s.ProjectId == project.Id).ToListAsync(cancellationToken);
        foreach (var session in sessions.OrderBy(s => s.SectionCode, StringComparer.Ordinal))
        {
            var record = await db.Set<OpeningRecord>().AsNoTracking().FirstOrDefaultAsync(r => r.SessionId == session.Id, cancellationToken);
            var bids = await db.Set<OpeningBid>().AsNoTracking().Where(b => b.SessionId == session.Id).ToListAsync(cancellationToken);
            entries.Add(await WriteJsonAsync(zip, $"records/opening-{SafeName(session.SectionCode)}.json", new
            {
                session = new { session.Id, session.SectionId, session.SectionCode, session.Deadline, session.StartedAt, session.WindowEndsAt, State = session.State.ToString(), session.BidCount },
                bids = bids.OrderBy(b => b.ArrivedAt).Select(b => new
                {
                    b.BidId, b.EntityId, b.EntityName, b.ArrivedAt, State = b.State.ToString(), LastCause = b.LastCause?.ToString(), Fault = b.Fault?.ToString(),
                    Consequence = b.Consequence.ToString(), b.SettledAt, b.SettledBy, b.Letter,
                }),
                record = record is null ? null : new { record.ContentJson, record.Sm3, record.Signature, record.PublicKeyHex, record.KeyFingerprint, record.SignedAt, record.NoticeId },
            }, $"opening-record:{session.Id}", cancellationToken));
        }

        // The parts' own records (the evaluation's report and sheets, a grant's offering, bid logs and result).
        var package = new ArchivePackageWriter(zip, entries);
        foreach (var part in services.GetServices<IArchiveRecords>())
        {
            await part.AddAsync(package, db, project, cancellationToken);
        }

        var notices = await db.Set<Notice>().AsNoTracking().Where(n => n.ProjectId == project.Id).ToListAsync(cancellationToken);
        if (notices.Count > 0)
        {
            entries.Add(await WriteJsonAsync(zip, "records/notices.json", notices.OrderBy(n => n.DraftedAt).Select(n => new
            {
                n.Id, Kind = n.Kind.ToString(), n.Title, n.BodyHtml, State = n.State.ToString(), n.CorrectsNoticeId, n.DraftedBy, n.DraftedAt,
                n.SubmittedBy, n.SubmittedAt, n.ReviewedBy, n.ReturnReason, n.PublishedAt, n.Version,
            }), "notices", cancellationToken));
        }

        // Each bidder's standing (paid, held, converted to the price, refunded, forfeited) beside the ledgers, as a supplement records it.
        if (await WriteDepositsAsync(db, zip, project.Id, entries, lockSections: true, cancellationToken) is { Count: > 0 } lines)
        {
            entries.Add(await WriteJsonAsync(zip, "records/deposit-ledger.json", lines, "deposit-ledger", cancellationToken));
        }
    }

    /// <summary>
    /// Writes <c>records/deposits-&lt;section&gt;.json</c> for every deposit section of the project (ledger, instructions,
    /// refunds owed) and returns each bidder's line. The archive reads each under the section's lock
    /// (<see cref="DepositSectionLock"/>), which every bank outcome takes too: an outcome is either in what is read here or
    /// looks for the archive after it committed, and so makes its supplement.
    /// </summary>
    private static async Task<List<SupplementLedgerLine>> WriteDepositsAsync(
        TradingDbContext db, ZipArchive zip, Guid projectId, List<ArchiveEntry> entries, bool lockSections, CancellationToken cancellationToken)
    {
        var lines = new List<SupplementLedgerLine>();
        var depositSections = await db.Set<DepositSection>().AsNoTracking().Where(s => s.ProjectId == projectId).ToListAsync(cancellationToken);
        foreach (var section in depositSections.OrderBy(s => s.SectionCode, StringComparer.Ordinal))
        {
            if (lockSections)
            {
                await DepositSectionLock.TakeAsync(db, section.SectionId, cancellationToken);
            }

            var ledger = await db.Set<LedgerEntry>().AsNoTracking().Where(e => e.SectionId == section.SectionId).ToListAsync(cancellationToken);
            var instructions = await db.Set<BankInstruction>().AsNoTracking().Where(i => i.SectionId == section.SectionId).ToListAsync(cancellationToken);
            var owed = await db.Set<ScheduledRefund>().AsNoTracking().Where(r => r.SectionId == section.SectionId).ToListAsync(cancellationToken);
            var accounts = await db.Set<DepositAccount>().AsNoTracking().Where(a => a.SectionId == section.SectionId).ToListAsync(cancellationToken);
            entries.Add(await WriteJsonAsync(zip, $"records/deposits-{SafeName(section.SectionCode)}.json", new
            {
                section = new { section.SectionId, section.SectionCode, section.Amount, Forms = section.Forms.ToString(), section.InterestRate },
                ledger = ledger.OrderBy(e => e.Sequence).Select(e => new { e.Sequence, Kind = e.Kind.ToString(), e.EntityId, e.Amount, e.Interest, e.Reference, e.At, e.By, e.PayerAccount, e.PayerIsNotBasicAccount }),
                instructions = instructions.OrderBy(i => i.DecidedAt).Select(i => new
                {
                    i.Id, Kind = i.Kind.ToString(), i.EntityId, i.Principal, i.Interest, i.ToAccount, i.ToName, i.ToBank, i.DecidedOn, i.DecidedAt, i.DecidedBy,
                    State = i.State.ToString(), i.Attempts, i.BankReference, i.PaidAt,
                }),
                scheduledRefunds = owed.OrderBy(r => r.CreatedAt).Select(r => new
                {
                    r.Id, r.EntityId, r.Reason, r.SourceId, r.CreatedAt, r.CreatedBy, r.DueAt, State = r.State.ToString(), r.Attempts, r.SettledAt, r.OverdueReported,
                }),
            }, $"deposits:{section.SectionId}", cancellationToken));
            lines.AddRange(LinesOf(section, ledger, instructions, accounts));
        }

        return lines;
    }

    /// <summary>Each bidder's standing in the section: what arrived, is held, was refunded (with interest), forfeited.</summary>
    private static IEnumerable<SupplementLedgerLine> LinesOf(DepositSection section, List<LedgerEntry> ledger, List<BankInstruction> instructions, List<DepositAccount> accounts)
    {
        var restored = SectionDepositLedger.Restore(section.SectionId, section.Amount, ledger.Select(l => l.ToMovement()),
            instructions.Where(i => i.Kind == InstructionKind.Refund && i.State != InstructionState.Rejected).Select(i => i.ToLedgerRefund()));
        var names = accounts.ToDictionary(a => a.EntityId, a => a.EntityName);
        var bidders = accounts.Select(a => a.EntityId).Concat(ledger.Where(e => e.EntityId is not null).Select(e => e.EntityId!.Value)).Distinct();
        foreach (var bidder in bidders.OrderBy(b => names.GetValueOrDefault(b, string.Empty), StringComparer.Ordinal).ThenBy(b => b))
        {
            var mine = ledger.Where(e => e.EntityId == bidder).ToList();
            decimal Sum(MovementKind kind) => mine.Where(e => e.Kind == kind).Sum(e => e.Amount);
            var refunds = instructions.Where(i => i.EntityId == bidder && i.Kind == InstructionKind.Refund).OrderBy(i => i.DecidedAt).ToList();
            var last = refunds.LastOrDefault(i => i.State == InstructionState.Paid);
            var held = restored.HeldFor(bidder);
            var state = refunds.Any(i => i.IsOpen) ? SupplementDepositState.AwaitingPayment
                : held > 0 ? SupplementDepositState.Held
                : Sum(MovementKind.Forfeited) > 0 ? SupplementDepositState.Forfeited
                : Sum(MovementKind.ConvertedToPrice) > 0 ? SupplementDepositState.ConvertedToPrice
                : Sum(MovementKind.Refunded) > 0 ? SupplementDepositState.Refunded
                : SupplementDepositState.None;
            yield return new SupplementLedgerLine(section.SectionCode, bidder, names.GetValueOrDefault(bidder, string.Empty), state,
                Sum(MovementKind.Received) + Sum(MovementKind.Matched), held, Sum(MovementKind.Refunded), mine.Where(e => e.Kind == MovementKind.Refunded).Sum(e => e.Interest),
                Sum(MovementKind.Forfeited), last?.BankReference, last?.PaidAt);
        }
    }

    private async Task AddHistoryAsync(TradingDbContext db, ZipArchive zip, Project project, List<ArchiveEntry> entries, CancellationToken cancellationToken)
    {
        // The procedure's engine history (every instance with the project code as business key), as committed so far:
        // the archive step's own command commits after the package is built.
        if (services.GetService<WorkflowAdminService>() is { } admin)
        {
            var history = await admin.GetHistoryByBusinessKeyAsync(project.Code, cancellationToken);
            entries.Add(await WriteJsonAsync(zip, "history/engine-history.json", history, "engine-history", cancellationToken));
        }

        entries.Add(await WriteTrailAsync(db, zip, project.Id, after: 0, cancellationToken));
    }

    /// <summary>The project's trail records after the given one, found by the project's key beside the chain (<see cref="AuditProject"/>).</summary>
    private static async Task<ArchiveEntry> WriteTrailAsync(TradingDbContext db, ZipArchive zip, Guid projectId, long after, CancellationToken cancellationToken)
    {
        var records = await db.Set<AuditProject>().Where(p => p.ProjectId == projectId && p.Sequence > after)
            .Join(db.Set<AuditEntry>(), p => p.Sequence, e => e.Sequence, (_, e) => e).AsNoTracking().OrderBy(e => e.Sequence).ToListAsync(cancellationToken);
        return await WriteJsonAsync(zip, "history/trail.json", records.Select(e => new
        {
            e.Sequence, e.OccurredAt, e.Actor, e.CentreId, e.SubjectType, e.SubjectId, e.Action, Data = JsonDocument.Parse(e.Data).RootElement,
            PreviousHash = Convert.ToHexStringLower(e.PreviousHash), Hash = Convert.ToHexStringLower(e.Hash), e.KeyId,
        }), "trail", cancellationToken);
    }

    /// <summary>The trail record of the project's archiving: a supplement carries the records after it.</summary>
    private static async Task<long> ArchivedRecordAsync(TradingDbContext db, Guid projectId, CancellationToken cancellationToken)
    {
        var id = projectId.ToString();
        return await db.Set<AuditEntry>().AsNoTracking().Where(e => e.Action == "archive.project.archived" && e.SubjectId == id)
            .Select(e => (long?)e.Sequence).MaxAsync(cancellationToken) ?? 0;
    }

    internal static Task<ArchiveEntry> WriteJsonAsync(ZipArchive zip, string path, object value, string source, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, Json);
        using var content = new MemoryStream(bytes, writable: false);
        return WriteAsync(zip, path, content, source, null, cancellationToken);
    }

    private static async Task<ArchiveEntry> WriteAsync(ZipArchive zip, string path, Stream content, string source, string? registeredSm3, CancellationToken cancellationToken)
    {
        var entry = zip.CreateEntry(path, CompressionLevel.Optimal);
        var digest = new Org.BouncyCastle.Crypto.Digests.SM3Digest();
        long length = 0;
        await using (var target = await entry.OpenAsync(cancellationToken))
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                digest.BlockUpdate(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                length += read;
            }
        }

        var hash = new byte[Sm3.HashSize];
        digest.DoFinal(hash, 0);
        return new ArchiveEntry(path, length, Convert.ToHexStringLower(hash), source, registeredSm3);
    }

    private static async Task WriteAsync(ZipArchive zip, string path, byte[] bytes, CancellationToken cancellationToken)
    {
        var entry = zip.CreateEntry(path, CompressionLevel.Optimal);
        await using var target = await entry.OpenAsync(cancellationToken);
        await target.WriteAsync(bytes, cancellationToken);
    }

    internal static string SafeName(string name)
    {
        var invalid = Path.GetInvalidFileNameChars();
        var clean = new string([.. name.Select(c => invalid.Contains(c) || c == '/' || c == '\\' ? '_' : c)]).Trim();
        return clean.Length == 0 ? "file" : clean.Length > 120 ? clean[..120] : clean;
    }
}

/// <summary>What checking a supplement found: its package against its manifest, and its links to the original and the previous supplement.</summary>
public sealed record SupplementVerification(int Sequence, ArchiveVerification Package, bool Linked)
{
    public bool IsIntact => Package.IsIntact && Linked;
}

/// <summary>What checking a project's stored archive found: the original package, each supplement, and supplements the trail recorded that are gone.</summary>
public sealed record StoredArchiveVerification(ArchiveVerification Package, IReadOnlyList<SupplementVerification> Supplements, IReadOnlyList<int> MissingSupplements)
{
    public bool IsIntact => Package.IsIntact && Supplements.All(s => s.IsIntact) && MissingSupplements.Count == 0;
}

/// <summary>A page of archived projects and how many match in all.</summary>
public sealed record ArchivePage(IReadOnlyList<ProjectArchive> Rows, int Total);

/// <summary>The procedure step that archives a project, as its own history is written into the package.</summary>
public sealed record ArchiveStep(Guid InstanceId, string ProcessId, int ProcessVersion, string? BusinessKey, string ElementId, string? ElementName, string Handler);

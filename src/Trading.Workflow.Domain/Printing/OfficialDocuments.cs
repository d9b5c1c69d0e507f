using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Archive;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trail;

namespace Trading.Workflow.Domain.Printing;

/// <summary>What the public verify page shows of an issued document.</summary>
public sealed record VerifyView(IssuedDocument Document, string ProjectCode, string ProjectName);

/// <summary>The result of comparing a file with an issued document's recorded SM3.</summary>
public sealed record VerifyResult(IssuedDocument Document, string FileSm3, long FileLength, bool Matches);

/// <summary>
/// Issues official documents (see <see cref="IOfficialDocuments"/>): renders with <see cref="PdfComposer"/>, stores the
/// PDF through <see cref="DocumentService"/> (scope: the project's centre, the project, the section), records it in
/// tr_printing_documents with the trail record <c>printing.document.issued</c> (data: projectId, sectionId,
/// issuedDocumentId, documentId, kind, sm3), all in one transaction.
/// </summary>
public sealed partial class OfficialDocuments : IOfficialDocuments
{
    private readonly ITradingDatabase _database;
    private readonly DocumentService _documents;
    private readonly IAuditTrail _trail;
    private readonly IOptions<PrintingOptions> _options;
    private readonly TimeProvider _time;

    public OfficialDocuments(ITradingDatabase database, DocumentService documents, IAuditTrail trail, IOptions<PrintingOptions> options, TimeProvider time)
    {
        _database = database;
        _documents = documents;
        _trail = trail;
        _options = options;
        _time = time;

        // PDFsharp reads its font resolver from a process-wide setting: installed once, with the configured font.
        CjkFontResolver.Install(options.Value.FontPath);
    }

    /// <summary>The portal path of an issued document's verify page.</summary>
    public static string VerifyPathOf(Guid issuedDocumentId) => "/verify/" + issuedDocumentId.ToString("D");

    /// <summary>The address printed in the QR code: the portal base address (when configured) and the verify path.</summary>
    public string VerifyUrlOf(Guid issuedDocumentId) =>
        (string.IsNullOrWhiteSpace(_options.Value.PortalBaseUrl) ? string.Empty : _options.Value.PortalBaseUrl.TrimEnd('/')) + VerifyPathOf(issuedDocumentId);

    public async Task<IssuedDocument> IssueAsync(OfficialDocumentSpec spec, CancellationToken cancellationToken = default)
    {
        await using var db = _database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var issued = await IssueAsync(db, spec, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return issued;
    }

    public async Task<IssuedDocument> IssueAsync(TradingDbContext db, OfficialDocumentSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        Check(spec);
        var project = await db.Set<Project>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == spec.ProjectId, cancellationToken)
            ?? throw new DomainRuleException(PrintingRules.ProjectNotFound, $"Project {spec.ProjectId} does not exist.");
        await ArchiveGuard.EnsureWritableAsync(db, project.Id, cancellationToken);

        var id = Guid.NewGuid();
        var now = _time.GetUtcNow();
        var pdf = PdfComposer.Render(spec, new PrintHeader(id, now, project.Code, project.Name, VerifyUrlOf(id)));
        var fileName = string.IsNullOrWhiteSpace(spec.FileName) ? NoticeFileName.Of(".pdf", spec.Title, project.Code) : spec.FileName.Trim();
        if (!fileName.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase))
        {
            fileName += ".pdf";
        }

        using var content = new MemoryStream(pdf, writable: false);
        var stored = await _documents.UploadAsync(db, content, fileName, new DocumentScope(project.CentreId, project.Id, spec.SectionId),
            new DocumentActor(spec.IssuedBy, [], project.CentreId), FilePolicy.TradeDocuments, cancellationToken: cancellationToken);
        var record = OfficialDocumentRecord.Create(id, stored, spec, project.CentreId, now);
        db.Add(record);
        await _trail.AppendAsync(db, new AuditRecord(spec.IssuedBy, project.CentreId, "official-document", id.ToString(), "printing.document.issued",
            new { projectId = project.Id, sectionId = spec.SectionId, issuedDocumentId = id, documentId = stored.Id, kind = spec.Kind, title = record.Title, sm3 = stored.Sm3 }),
            cancellationToken);
        return record.ToIssued();
    }

    public async Task<IssuedDocument?> FindAsync(Guid issuedDocumentId, CancellationToken cancellationToken = default)
    {
        await using var db = _database.Create();
        var row = await db.Set<OfficialDocumentRecord>().AsNoTracking().FirstOrDefaultAsync(d => d.Id == issuedDocumentId, cancellationToken);
        return row?.ToIssued();
    }

    /// <summary>The issued document with its project's code and name, for the public verify page; null when unknown.</summary>
    public async Task<VerifyView?> VerifyViewAsync(Guid issuedDocumentId, CancellationToken cancellationToken = default)
    {
        await using var db = _database.Create();
        var row = await db.Set<OfficialDocumentRecord>().AsNoTracking().FirstOrDefaultAsync(d => d.Id == issuedDocumentId, cancellationToken);
        if (row is null)
        {
            return null;
        }

        var project = await db.Set<Project>().AsNoTracking().Where(p => p.Id == row.ProjectId).Select(p => new { p.Code, p.Name }).FirstOrDefaultAsync(cancellationToken);
        return new VerifyView(row.ToIssued(), project?.Code ?? string.Empty, project?.Name ?? string.Empty);
    }

    public async Task<IReadOnlyList<IssuedDocument>> ListForProjectAsync(Guid projectId, CancellationToken cancellationToken = default)
    {
        await using var db = _database.Create();
        var rows = await db.Set<OfficialDocumentRecord>().AsNoTracking().Where(d => d.ProjectId == projectId).ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.IssuedAt).ThenBy(r => r.Id).Select(r => r.ToIssued())];
    }

    /// <summary>Hashes a file (SM3, streamed) and compares it with what was recorded when the document was issued.</summary>
    public async Task<VerifyResult?> CompareAsync(Guid issuedDocumentId, Stream file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (await FindAsync(issuedDocumentId, cancellationToken) is not { } issued)
        {
            return null;
        }

        var counting = new CountingStream(file, _options.Value.MaxVerifyBytes);
        var sm3 = Convert.ToHexStringLower(await Sm3.HashAsync(counting, cancellationToken));
        return new VerifyResult(issued, sm3, counting.Count, counting.Count == issued.Length && string.Equals(sm3, issued.Sm3, StringComparison.Ordinal));
    }

    private static void Check(OfficialDocumentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (string.IsNullOrWhiteSpace(spec.Title) || string.IsNullOrWhiteSpace(spec.Issuer))
        {
            throw new DomainRuleException(PrintingRules.TitleRequired, "An official document needs a title and an issuer.");
        }

        if (string.IsNullOrWhiteSpace(spec.Kind) || !KindPattern().IsMatch(spec.Kind))
        {
            throw new DomainRuleException(PrintingRules.KindInvalid, $"'{spec.Kind}' is not a document kind (lower-case letters, digits and dashes).");
        }

        if (spec.Blocks is null || spec.Blocks.Count == 0 || spec.Audience is null)
        {
            throw new DomainRuleException(PrintingRules.EmptyDocument, "An official document needs a body and an audience.");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex KindPattern();

    /// <summary>Counts what is read and stops past a limit (the verify page hashes uploads of unknown size).</summary>
    private sealed class CountingStream(Stream inner, long limit) : Stream
    {
        public long Count { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => Count; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Counted(await inner.ReadAsync(buffer, cancellationToken));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Counted(int read)
        {
            Count += read;
            if (Count > limit)
            {
                throw new DomainRuleException(DocumentRules.TooLarge, $"The file is larger than the {limit} bytes the verify page hashes.");
            }

            return read;
        }
    }
}

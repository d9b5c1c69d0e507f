using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Trail;

namespace Trading.Workflow.Domain.Documents;

/// <summary>The resolved folder of the document store (the web host resolves it from the data folder).</summary>
public sealed record DocumentStorage(string Root);

/// <summary>A page of rows and how many there are in all.</summary>
public sealed record DocumentPage<T>(IReadOnlyList<T> Items, int Total);

/// <summary>
/// Uploads (whole or in resumable chunks), the registry, and downloads that verify the bytes while they stream. Every
/// action appends to the trail in the same transaction as its rows (actions <c>documents.document.*</c>; Data carries
/// documentId, sha256 and the project and section ids).
/// </summary>
public sealed class DocumentService(
    IFileStore store,
    DocumentStorage storage,
    ITradingDatabase database,
    IAuditTrail trail,
    IOptions<DocumentOptions> options,
    IEnumerable<IDocumentAccessRule> accessRules,
    TimeProvider time)
{
    private const int Block = 256 * 1024;
    private readonly ChunkedUploadFolder _uploads = new(storage.Root);

    public DocumentOptions Options => options.Value;

    // ---------------------------------------------------------------- uploads

    /// <summary>Streams one file to the store (never whole in memory), checks it from its content, registers it.</summary>
    public Task<Document> UploadAsync(Stream content, string fileName, DocumentScope scope, DocumentActor actor, CancellationToken cancellationToken = default) =>
        UploadAsync(content, fileName, scope, actor, Options.Policy, cancellationToken);

    /// <summary>The same under another part's own policy (e.g. <see cref="FilePolicy.Scans"/> for market certificates).</summary>
    public async Task<Document> UploadAsync(Stream content, string fileName, DocumentScope scope, DocumentActor actor, FilePolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(policy);
        await EnsureWritableAsync(scope, cancellationToken);
        var stored = await store.SaveAsync(content, fileName, policy, cancellationToken);
        return await RegisterAsync(stored, scope, actor, cancellationToken);
    }

    /// <summary>Begins a chunked upload of <paramref name="totalBytes"/>; the size is checked now, the content at the end.</summary>
    public Task<ChunkedUploadInfo> StartChunkedAsync(string fileName, long totalBytes, DocumentScope scope, DocumentActor actor, CancellationToken cancellationToken = default) =>
        StartChunkedAsync(fileName, totalBytes, scope, actor, sealedCiphertext: false, cancellationToken);

    /// <summary>
    /// The same, for a sealed bid's encrypted file when <paramref name="sealedCiphertext"/>: then only ciphertext is
    /// accepted (<see cref="FilePolicy.SealedBids"/>), and the stored document is served to its uploader alone.
    /// </summary>
    public async Task<ChunkedUploadInfo> StartChunkedAsync(string fileName, long totalBytes, DocumentScope scope, DocumentActor actor, bool sealedCiphertext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(scope);
        var name = FilePolicy.CleanName(fileName);
        if (totalBytes <= 0)
        {
            throw new DomainRuleException(DocumentRules.Empty, "The file is empty.");
        }

        if (totalBytes > Options.MaxBytes)
        {
            throw new DomainRuleException(DocumentRules.TooLarge, $"The file is larger than the {Options.MaxBytes} bytes accepted.");
        }

        await EnsureWritableAsync(scope, cancellationToken);
        var now = time.GetUtcNow();
        _uploads.DeleteExpired(now);
        var state = new ChunkedUploadState(Guid.NewGuid(), actor.UserName, name, totalBytes, now, now + Options.UploadExpiry, scope.CentreId, scope.ProjectId, scope.SectionId, sealedCiphertext);
        await _uploads.CreateAsync(state, cancellationToken);
        return Info(state, 0);
    }

    /// <summary>Where the caller's upload stands (to resume after a lost connection or a reload).</summary>
    public async Task<ChunkedUploadInfo> GetChunkedAsync(Guid uploadId, DocumentActor actor, CancellationToken cancellationToken = default)
    {
        var state = await OwnUploadAsync(uploadId, actor, cancellationToken);
        return Info(state, _uploads.Received(uploadId));
    }

    /// <summary>
    /// Appends one chunk at <paramref name="offset"/>, which must be where the upload stands (a resent chunk or a gap is
    /// refused with the current offset). The last chunk completes the upload: the whole file is checked from its
    /// content and hashed as it streams into the store, then registered; the document is returned.
    /// </summary>
    public async Task<(ChunkedUploadInfo Upload, Document? Document)> AppendChunkAsync(
        Guid uploadId, long offset, Stream chunk, DocumentActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var state = await OwnUploadAsync(uploadId, actor, cancellationToken);
        long received;
        try
        {
            await using var part = new FileStream(_uploads.PartPath(uploadId), FileMode.Open, FileAccess.ReadWrite, FileShare.None, Block, FileOptions.Asynchronous);
            received = part.Length;
            if (offset != received)
            {
                throw new ChunkOffsetException(received);
            }

            part.Position = received;
            var buffer = new byte[Block];
            long written = 0;
            int read;
            while ((read = await chunk.ReadAsync(buffer, cancellationToken)) > 0)
            {
                written += read;
                if (written > Options.ChunkBytes || received + written > state.TotalBytes)
                {
                    throw new DomainRuleException(DocumentRules.ChunkTooLarge, $"A chunk has at most {Options.ChunkBytes} bytes and the file {state.TotalBytes}.");
                }

                await part.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            await part.FlushAsync(cancellationToken);
            received += written;
        }
        catch (IOException e) when (e is not ChunkOffsetException && IsSharingViolation(e))
        {
            throw new DomainRuleException(DocumentRules.UploadBusy, "Another chunk of this upload is being received; retry.");
        }

        if (received < state.TotalBytes)
        {
            return (Info(state, received), null);
        }

        try
        {
            StoredFile stored;
            await using (var whole = new FileStream(_uploads.PartPath(uploadId), FileMode.Open, FileAccess.Read, FileShare.None, Block, FileOptions.Asynchronous | FileOptions.SequentialScan))
            {
                stored = await store.SaveAsync(whole, state.FileName, state.SealedCiphertext ? FilePolicy.SealedBids(Options.MaxBytes) : Options.Policy, cancellationToken);
            }

            var document = await RegisterAsync(stored, state.Scope, actor, cancellationToken);
            return (Info(state, received), document);
        }
        finally
        {
            // Accepted or refused by its content, the upload is over either way.
            _uploads.Delete(uploadId);
        }
    }

    // ERROR_SHARING_VIOLATION: another request holds the part file (FileShare.None is a lock on Unix too).
    private static bool IsSharingViolation(IOException e) => (e.HResult & 0xFFFF) == 32;

    private async Task<ChunkedUploadState> OwnUploadAsync(Guid uploadId, DocumentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var state = await _uploads.ReadAsync(uploadId, cancellationToken);
        if (state is null || state.Owner != actor.UserName)
        {
            throw new DomainRuleException(DocumentRules.UploadNotFound, $"No upload {uploadId} of this user.");
        }

        if (state.ExpiresAt <= time.GetUtcNow())
        {
            _uploads.Delete(uploadId);
            throw new DomainRuleException(DocumentRules.UploadNotFound, $"The upload {uploadId} expired.");
        }

        return state;
    }

    private ChunkedUploadInfo Info(ChunkedUploadState state, long received) =>
        new(state.Id, state.FileName, state.TotalBytes, received, Options.ChunkBytes, state.ExpiresAt);

    /// <summary>
    /// Streams a file the platform itself produced (an issued PDF, an archive package) to the store and registers it in
    /// the caller's context and transaction (an engine command's, or the caller's own), with its trail record; the
    /// caller saves. An archived project takes no new document (<see cref="Archive.ArchiveRules.ProjectArchived"/>)
    /// unless <paramref name="archiving"/> (the archive's own package).
    /// </summary>
    public async Task<Document> UploadAsync(
        TradingDbContext db, Stream content, string fileName, DocumentScope scope, DocumentActor actor, FilePolicy policy, bool archiving = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(policy);
        if (!archiving)
        {
            await Archive.ArchiveGuard.EnsureWritableAsync(db, scope.ProjectId, cancellationToken);
        }

        var stored = await store.SaveAsync(content, fileName, policy, cancellationToken);
        return await AddAsync(db, stored, scope, actor, cancellationToken);
    }

    /// <summary>
    /// Registers a file the store already keeps (a part that kept its SHA-256 alone before the registry) as a document in
    /// the caller's context and transaction, with its trail record; the caller saves. The bytes are checked against the
    /// hash first; a name whose extension does not fit the content takes the content's. No archive check: the file
    /// belonged to the project before, only its registry row is new.
    /// </summary>
    public async Task<Document> RegisterStoredAsync(
        TradingDbContext db, string sha256, string fileName, DocumentScope scope, DocumentActor actor, FilePolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(policy);
        await using var content = await store.OpenVerifiedAsync(sha256, cancellationToken);
        var kind = FileKinds.Detect(content);
        var name = FilePolicy.CleanName(fileName);
        if (FileKinds.Extensions(kind) is [var extension, ..] && !FileKinds.Extensions(kind).Contains(Path.GetExtension(name).ToLowerInvariant()))
        {
            name = Path.ChangeExtension(name, extension);
        }

        // Saving the same bytes again keeps them once and gives what the registry records (SM3, kind, length).
        var stored = await store.SaveAsync(content, name, policy, cancellationToken);
        return await AddAsync(db, stored, scope, actor, cancellationToken);
    }

    // An archived project takes no new document: refused before any byte is stored (and again when registering).
    private async Task EnsureWritableAsync(DocumentScope? scope, CancellationToken cancellationToken)
    {
        if (scope?.ProjectId is { } projectId)
        {
            await using var db = database.Create();
            await Archive.ArchiveGuard.EnsureWritableAsync(db, projectId, cancellationToken);
        }
    }

    private async Task<Document> RegisterAsync(StoredFile stored, DocumentScope scope, DocumentActor actor, CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await Archive.ArchiveGuard.EnsureWritableAsync(db, scope.ProjectId, cancellationToken);
        var document = await AddAsync(db, stored, scope, actor, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return document;
    }

    private async Task<Document> AddAsync(TradingDbContext db, StoredFile stored, DocumentScope scope, DocumentActor actor, CancellationToken cancellationToken)
    {
        var document = new Document(Guid.NewGuid(), stored, actor.UserName, time.GetUtcNow(), scope.CentreId ?? actor.CentreId, scope.ProjectId, scope.SectionId);
        db.Add(document);
        await trail.AppendAsync(db, new AuditRecord(actor.UserName, document.CentreId, "document", document.Id.ToString(), "documents.document.uploaded",
            new { documentId = document.Id, name = document.Name, sha256 = document.Sha256, sm3 = document.Sm3, length = document.Length, projectId = document.ProjectId, sectionId = document.SectionId }), cancellationToken);
        return document;
    }

    // ---------------------------------------------------------------- downloads

    public async Task<Document?> FindAsync(Guid documentId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await db.Set<Document>().AsNoTracking().FirstOrDefaultAsync(d => d.Id == documentId, cancellationToken);
    }

    /// <summary>
    /// Opens a document for download after checking who asks, and records the download (with its trail record). A
    /// document already flagged, or whose file is gone or has another length, is refused (and recorded as refused).
    /// The returned handle streams the bytes while hashing them and withholds the last block until the hash matches.
    /// </summary>
    public async Task<DocumentDownloadHandle> OpenDownloadAsync(Guid documentId, DocumentActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var document = await FindAsync(documentId, cancellationToken)
            ?? throw new DomainRuleException(DocumentRules.NotFound, $"No document {documentId}.");
        if (!await MayDownloadAsync(actor, document, cancellationToken))
        {
            throw new DomainRuleException(DocumentRules.AccessDenied, "This user may not download this document.");
        }

        Stream? content = null;
        string? problem = document.IsDamaged ? document.DamagedSha256 ?? "damaged" : null;
        if (problem is null)
        {
            try
            {
                content = await store.OpenAsync(document.Sha256, cancellationToken);
                if (content.Length != document.Length)
                {
                    problem = $"length {content.Length}";
                }
            }
            catch (DomainRuleException e) when (e.RuleCode == DocumentRules.NotFound)
            {
                problem = "missing";
            }
        }

        if (problem is not null)
        {
            if (content is not null)
            {
                await content.DisposeAsync();
            }

            await RecordDownloadAsync(document, actor, refused: true, damagedAs: document.IsDamaged ? null : problem, cancellationToken);
            throw new DocumentDamagedException(document.Sha256, problem);
        }

        await RecordDownloadAsync(document, actor, refused: false, damagedAs: null, cancellationToken);
        return new DocumentDownloadHandle(document, content!, actual => FlagDamagedAsync(document.Id, actor.UserName, actual, CancellationToken.None));
    }

    public async Task<bool> MayDownloadAsync(DocumentActor actor, Document document, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(document);
        if (document.Kind == FileKind.SealedCiphertext)
        {
            // A sealed bid's ciphertext goes back to the bidder who uploaded it and to no one else, staff and
            // administrators included; the opening decrypts it on the server with the key the bidder sends.
            return document.UploadedBy == actor.UserName;
        }

        if (document.UploadedBy == actor.UserName || actor.MayOverseeDocument(document))
        {
            return true;
        }

        foreach (var rule in accessRules)
        {
            if (await rule.MayDownloadAsync(actor, document, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    private async Task RecordDownloadAsync(Document document, DocumentActor actor, bool refused, string? damagedAs, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Add(new DocumentDownload(Guid.NewGuid(), document.Id, actor.UserName, now, refused));
        await trail.AppendAsync(db, new AuditRecord(actor.UserName, document.CentreId, "document", document.Id.ToString(),
            refused ? "documents.document.download-refused" : "documents.document.downloaded",
            new { documentId = document.Id, sha256 = document.Sha256, projectId = document.ProjectId, sectionId = document.SectionId }), cancellationToken);
        if (damagedAs is not null)
        {
            await FlagAsync(db, document.Id, actor.UserName, damagedAs, now, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    private async Task FlagDamagedAsync(Guid documentId, string actor, string actualSha256, CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await FlagAsync(db, documentId, actor, actualSha256, time.GetUtcNow(), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    private async Task FlagAsync(TradingDbContext db, Guid documentId, string actor, string actualSha256, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var document = await db.Set<Document>().FirstAsync(d => d.Id == documentId, cancellationToken);
        var first = !document.IsDamaged;
        document.MarkDamaged(now, actualSha256);
        if (first)
        {
            await trail.AppendAsync(db, new AuditRecord(actor, document.CentreId, "document", document.Id.ToString(), "documents.document.damaged",
                new { documentId = document.Id, sha256 = document.Sha256, actual = actualSha256, projectId = document.ProjectId, sectionId = document.SectionId }), cancellationToken);
        }
    }

    /// <summary>Supervisors: re-hashes every document not yet flagged and flags those whose bytes no longer match.</summary>
    public async Task<(int Checked, int Damaged)> ScanAsync(DocumentActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsInRole(Accounts.PlatformRoles.Supervisor))
        {
            throw new DomainRuleException(DocumentRules.AccessDenied, "Only supervisors scan the document store.");
        }

        List<(Guid Id, string Sha256)> documents;
        await using (var db = database.Create())
        {
            documents = (await db.Set<Document>().AsNoTracking().Where(d => d.DamagedAt == null).Select(d => new { d.Id, d.Sha256 }).ToListAsync(cancellationToken))
                .Select(d => (d.Id, d.Sha256)).ToList();
        }

        var damaged = 0;
        var verdicts = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (id, sha256) in documents)
        {
            if (!verdicts.TryGetValue(sha256, out var actual))
            {
                try
                {
                    await using var stream = await store.OpenAsync(sha256, cancellationToken);
                    var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
                    actual = hash == sha256 ? null : hash;
                }
                catch (DomainRuleException e) when (e.RuleCode == DocumentRules.NotFound)
                {
                    actual = "missing";
                }

                verdicts[sha256] = actual;
            }

            if (actual is not null)
            {
                damaged++;
                await FlagDamagedAsync(id, actor.UserName, actual, cancellationToken);
            }
        }

        return (documents.Count, damaged);
    }

    // ---------------------------------------------------------------- supervision

    /// <summary>Documents for staff and supervisors (staff: their centre's), newest first; optionally only the damaged.</summary>
    public async Task<DocumentPage<Document>> ListAsync(DocumentActor actor, bool damagedOnly, int skip, int take, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.MaySeeDownloads)
        {
            throw new DomainRuleException(DocumentRules.AccessDenied, "Only staff and supervisors list documents.");
        }

        await using var db = database.Create();
        var rows = Visible(db, actor);
        if (damagedOnly)
        {
            rows = rows.Where(d => d.DamagedAt != null);
        }

        var total = await rows.CountAsync(cancellationToken);
        var items = await rows.OrderByDescending(d => d.UploadedAt).ThenBy(d => d.Id).Skip(skip).Take(take).ToListAsync(cancellationToken);
        return new DocumentPage<Document>(items, total);
    }

    /// <summary>Who downloaded which document, newest first: staff (their centre's documents) and supervisors only.</summary>
    public async Task<DocumentPage<(DocumentDownload Download, string DocumentName)>> ListDownloadsAsync(
        DocumentActor actor, Guid? documentId, int skip, int take, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.MaySeeDownloads)
        {
            throw new DomainRuleException(DocumentRules.AccessDenied, "Only staff and supervisors see who downloaded documents.");
        }

        await using var db = database.Create();
        var documents = Visible(db, actor);
        if (documentId is { } id)
        {
            documents = documents.Where(d => d.Id == id);
        }

        var rows = db.Set<DocumentDownload>().AsNoTracking().Join(documents, r => r.DocumentId, d => d.Id, (r, d) => new { Download = r, d.Name });
        var total = await rows.CountAsync(cancellationToken);
        var items = await rows.OrderByDescending(r => r.Download.At).ThenBy(r => r.Download.Id).Skip(skip).Take(take).ToListAsync(cancellationToken);
        return new DocumentPage<(DocumentDownload, string)>(items.Select(r => (r.Download, r.Name)).ToList(), total);
    }

    private static IQueryable<Document> Visible(TradingDbContext db, DocumentActor actor)
    {
        var rows = db.Set<Document>().AsNoTracking();
        if (!actor.IsInRole(Accounts.PlatformRoles.Supervisor) && actor.CentreId is { } centre)
        {
            rows = rows.Where(d => d.CentreId == null || d.CentreId == centre);
        }

        return rows;
    }
}

/// <summary>A chunk sent at another offset than where the upload stands; <see cref="Received"/> is where to continue.</summary>
public sealed class ChunkOffsetException(long received)
    : IOException($"The upload stands at byte {received}; send the chunk that starts there.")
{
    public long Received { get; } = received;
}

/// <summary>
/// An opened download: <see cref="CopyToAsync"/> streams the bytes while hashing them, holding back the last block
/// until the hash is known; a mismatch flags the document and throws <see cref="DocumentDamagedException"/> before the
/// file is complete, so a damaged file is never received whole (a file of one block is refused before any byte).
/// </summary>
public sealed class DocumentDownloadHandle(Document document, Stream content, Func<string, Task> onDamaged) : IAsyncDisposable
{
    private const int Block = 256 * 1024;

    public Document Document { get; } = document;

    public async Task CopyToAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var current = new byte[Block];
        var next = new byte[Block];
        var currentLength = await content.ReadAtLeastAsync(current, Block, throwOnEndOfStream: false, cancellationToken);
        long total = currentLength;
        sha.AppendData(current, 0, currentLength);
        while (currentLength == Block)
        {
            var nextLength = await content.ReadAtLeastAsync(next, Block, throwOnEndOfStream: false, cancellationToken);
            if (nextLength == 0)
            {
                break;
            }

            await destination.WriteAsync(current.AsMemory(0, currentLength), cancellationToken);
            sha.AppendData(next, 0, nextLength);
            total += nextLength;
            (current, next) = (next, current);
            currentLength = nextLength;
        }

        var actual = Convert.ToHexStringLower(sha.GetHashAndReset());
        if (actual != Document.Sha256 || total != Document.Length)
        {
            await onDamaged(actual);
            throw new DocumentDamagedException(Document.Sha256, actual);
        }

        await destination.WriteAsync(current.AsMemory(0, currentLength), cancellationToken);
    }

    public ValueTask DisposeAsync() => content.DisposeAsync();
}

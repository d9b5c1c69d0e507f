using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Tests.Persistence;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Documents;

/// <summary>The registry over the file store: uploads whole and in resumable chunks, verified downloads, download records.</summary>
public abstract class DocumentServiceContract : IAsyncLifetime
{
    private static readonly Guid Centre = Guid.NewGuid();
    protected static readonly DocumentActor Tenderee = new("tenderee", [PlatformRoles.Tenderee], Centre);
    protected static readonly DocumentActor Staff = new("staff", [PlatformRoles.Staff], Centre);
    private static readonly DocumentActor Bidder = new("bidder", [PlatformRoles.Bidder], null);
    private static readonly DocumentActor Supervisor = new("supervisor", [PlatformRoles.Supervisor], null);
    private readonly string _files = Path.Combine(Path.GetTempPath(), "tw-docs-" + Guid.NewGuid().ToString("N"));
    private TradingDatabaseHost _host = default!;

    protected abstract DatabaseProvider Provider { get; }

    protected TradingDatabaseHost Host => _host;

    protected DocumentService Documents => _host.Services.GetRequiredService<DocumentService>();

    public async Task InitializeAsync() =>
        _host = await TradingDatabaseHost.StartAsync(Provider, services =>
        {
            services.AddSingleton(new DocumentStorage(_files));
            services.Configure<DocumentOptions>(o => o.ChunkBytes = 64 * 1024);
        });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        if (Directory.Exists(_files))
        {
            Directory.Delete(_files, recursive: true);
        }
    }

    protected static byte[] Pdf(int size)
    {
        var bytes = new byte[size];
        RandomNumberGenerator.Fill(bytes);
        "%PDF-1.7\n"u8.CopyTo(bytes);
        return bytes;
    }

    private async Task<List<AuditEntry>> TrailAsync()
    {
        await using var db = _host.Database.Create();
        return await db.Set<AuditEntry>().AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
    }

    private async Task<List<DocumentDownload>> DownloadsAsync()
    {
        await using var db = _host.Database.Create();
        return await db.Set<DocumentDownload>().AsNoTracking().ToListAsync();
    }

    private string PathOf(string sha256) => Path.Combine(_files, sha256[..2], sha256[2..4], sha256);

    [Fact]
    public async Task Upload_RegistersBothDigestsAndTheScope_AndAppendsToTheTrail()
    {
        var bytes = Pdf(5000);
        var project = Guid.NewGuid();

        var document = await Documents.UploadAsync(new MemoryStream(bytes), "招标文件.pdf", new DocumentScope(null, project, null), Tenderee);

        var found = await Documents.FindAsync(document.Id);
        Assert.NotNull(found);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), found.Sha256);
        Assert.Equal(Convert.ToHexStringLower(Sm3.Hash(bytes)), found.Sm3);
        Assert.Equal(5000, found.Length);
        Assert.Equal(FileKind.Pdf, found.Kind);
        Assert.Equal("tenderee", found.UploadedBy);
        Assert.Equal(project, found.ProjectId);
        Assert.Equal(Centre, found.CentreId);
        var entry = Assert.Single(await TrailAsync());
        Assert.Equal("documents.document.uploaded", entry.Action);
        Assert.Contains(project.ToString(), entry.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChunkedUpload_InterruptedMidChunk_ResumesFromWhereTheServerStands()
    {
        var bytes = Pdf(200_000);
        var upload = await Documents.StartChunkedAsync("大文件.pdf", bytes.Length, new DocumentScope(), Tenderee);
        await Documents.AppendChunkAsync(upload.Id, 0, new MemoryStream(bytes, 0, 65536), Tenderee);

        // The connection drops 10,000 bytes into the second chunk.
        await Assert.ThrowsAsync<IOException>(() => Documents.AppendChunkAsync(upload.Id, 65536, new BreakingStream(bytes, 65536, 10_000), Tenderee));
        var standing = await Documents.GetChunkedAsync(upload.Id, Tenderee);
        var stale = await Assert.ThrowsAsync<ChunkOffsetException>(() => Documents.AppendChunkAsync(upload.Id, 65536, new MemoryStream(bytes, 65536, 65536), Tenderee));
        Document? document = null;
        var offset = standing.ReceivedBytes;
        while (document is null)
        {
            var length = (int)Math.Min(65536, bytes.Length - offset);
            var (state, done) = await Documents.AppendChunkAsync(upload.Id, offset, new MemoryStream(bytes, (int)offset, length), Tenderee);
            offset = state.ReceivedBytes;
            document = done;
        }

        Assert.Equal(65536 + 10_000, standing.ReceivedBytes);
        Assert.Equal(standing.ReceivedBytes, stale.Received);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), document.Sha256);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(PathOf(document.Sha256)));
        await Assert.ThrowsAsync<DomainRuleException>(() => Documents.GetChunkedAsync(upload.Id, Tenderee));
    }

    [Fact]
    public async Task ChunkedUpload_OfAnotherUser_IsNotFound()
    {
        var upload = await Documents.StartChunkedAsync("a.pdf", 1000, new DocumentScope(), Tenderee);

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => Documents.AppendChunkAsync(upload.Id, 0, new MemoryStream(Pdf(1000)), Bidder));

        Assert.Equal(DocumentRules.UploadNotFound, refused.RuleCode);
    }

    [Fact]
    public async Task ChunkedUpload_WhoseContentIsNotAllowed_IsRefusedWhenComplete_AndRegistersNothing()
    {
        var bytes = Encoding.UTF8.GetBytes(new string('x', 70_000));
        var upload = await Documents.StartChunkedAsync("伪装.pdf", bytes.Length, new DocumentScope(), Tenderee);
        await Documents.AppendChunkAsync(upload.Id, 0, new MemoryStream(bytes, 0, 65536), Tenderee);

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => Documents.AppendChunkAsync(upload.Id, 65536, new MemoryStream(bytes, 65536, bytes.Length - 65536), Tenderee));

        Assert.Equal(DocumentRules.TypeNotAllowed, refused.RuleCode);
        Assert.Empty(await TrailAsync());
        Assert.Empty(Directory.GetFiles(Path.Combine(_files, "uploads")));
    }

    [Fact]
    public async Task Download_StreamsTheVerifiedBytes_AndRecordsWhoDownloaded_VisibleToStaffNotToBidders()
    {
        var bytes = Pdf(600_000);
        var document = await Documents.UploadAsync(new MemoryStream(bytes), "招标文件.pdf", new DocumentScope(), Tenderee);

        using var received = new MemoryStream();
        await using (var handle = await Documents.OpenDownloadAsync(document.Id, Staff))
        {
            await handle.CopyToAsync(received);
        }

        Assert.Equal(bytes, received.ToArray());
        var record = Assert.Single(await DownloadsAsync());
        Assert.Equal("staff", record.UserName);
        Assert.False(record.Refused);
        Assert.Contains(await TrailAsync(), e => e.Action == "documents.document.downloaded" && e.Actor == "staff");
        var seen = await Documents.ListDownloadsAsync(Supervisor, document.Id, 0, 10);
        Assert.Equal("staff", Assert.Single(seen.Items).Download.UserName);
        var hidden = await Assert.ThrowsAsync<DomainRuleException>(() => Documents.ListDownloadsAsync(Tenderee, document.Id, 0, 10));
        Assert.Equal(DocumentRules.AccessDenied, hidden.RuleCode);
        var bidder = await Assert.ThrowsAsync<DomainRuleException>(() => Documents.OpenDownloadAsync(document.Id, Bidder));
        Assert.Equal(DocumentRules.AccessDenied, bidder.RuleCode);
    }

    [Fact]
    public async Task SwappedFileOfTheSameLength_IsNotServedWhole_IsFlagged_AndRefusedAfterwards()
    {
        var bytes = Pdf(600_000);
        var document = await Documents.UploadAsync(new MemoryStream(bytes), "招标文件.pdf", new DocumentScope(), Tenderee);
        var swapped = Pdf(600_000);
        await File.WriteAllBytesAsync(PathOf(document.Sha256), swapped);

        using var received = new MemoryStream();
        await using (var handle = await Documents.OpenDownloadAsync(document.Id, Staff))
        {
            await Assert.ThrowsAsync<DocumentDamagedException>(() => handle.CopyToAsync(received));
        }

        var again = await Assert.ThrowsAsync<DocumentDamagedException>(() => Documents.OpenDownloadAsync(document.Id, Staff));
        Assert.True(received.Length < swapped.Length);
        var flagged = await Documents.FindAsync(document.Id);
        Assert.True(flagged!.IsDamaged);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(swapped)), flagged.DamagedSha256);
        Assert.Equal(document.Id, Assert.Single((await Documents.ListAsync(Supervisor, damagedOnly: true, 0, 10)).Items).Id);
        Assert.Single(await TrailAsync(), e => e.Action == "documents.document.damaged");
        Assert.Contains(await DownloadsAsync(), d => d.Refused);
        Assert.NotNull(again);
    }

    [Fact]
    public async Task SmallSwappedFile_IsRefusedBeforeAnyByteIsWritten()
    {
        var document = await Documents.UploadAsync(new MemoryStream(Pdf(4000)), "澄清.pdf", new DocumentScope(), Tenderee);
        await File.WriteAllBytesAsync(PathOf(document.Sha256), Pdf(4000));

        using var received = new MemoryStream();
        await using var handle = await Documents.OpenDownloadAsync(document.Id, Staff);
        await Assert.ThrowsAsync<DocumentDamagedException>(() => handle.CopyToAsync(received));

        Assert.Equal(0, received.Length);
    }

    [Fact]
    public async Task Scan_FlagsAFileReplacedOnDisk()
    {
        var intact = await Documents.UploadAsync(new MemoryStream(Pdf(3000)), "a.pdf", new DocumentScope(), Tenderee);
        var damaged = await Documents.UploadAsync(new MemoryStream(Pdf(3000)), "b.pdf", new DocumentScope(), Tenderee);
        await File.WriteAllBytesAsync(PathOf(damaged.Sha256), Pdf(3100));

        var (checkedCount, damagedCount) = await Documents.ScanAsync(Supervisor);

        Assert.Equal(2, checkedCount);
        Assert.Equal(1, damagedCount);
        Assert.False((await Documents.FindAsync(intact.Id))!.IsDamaged);
        Assert.True((await Documents.FindAsync(damaged.Id))!.IsDamaged);
    }

    /// <summary>Gives <paramref name="count"/> bytes from <paramref name="offset"/>, then fails like a dropped connection.</summary>
    private sealed class BreakingStream(byte[] bytes, int offset, int count) : Stream
    {
        private int _given;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _given; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int bufferOffset, int length)
        {
            if (_given >= count)
            {
                throw new IOException("connection reset");
            }

            var n = Math.Min(length, count - _given);
            Array.Copy(bytes, offset + _given, buffer, bufferOffset, n);
            _given += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long o, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int o, int count2) => throw new NotSupportedException();
    }
}

public sealed class SqliteDocumentServiceTests : DocumentServiceContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgreSqlDocumentServiceTests : DocumentServiceContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    [Theory]
    [InlineData("UPDATE tr_document_downloads SET user_name = 'someone'")]
    [InlineData("DELETE FROM tr_document_downloads")]
    public async Task DownloadRecords_CannotBeChangedOrRemoved(string sql)
    {
        var document = await Documents.UploadAsync(new MemoryStream(Pdf(3000)), "a.pdf", new DocumentScope(), Tenderee);
        await using (var handle = await Documents.OpenDownloadAsync(document.Id, Staff))
        {
            await handle.CopyToAsync(Stream.Null);
        }

        await using var db = Host.Database.Create();
        var refused = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.Database.ExecuteSqlRawAsync(sql));

        Assert.Equal(Npgsql.PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Equal("staff", (await db.Set<DocumentDownload>().SingleAsync()).UserName);
    }
}

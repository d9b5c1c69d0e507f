using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Trading.Workflow.Domain.Documents;

namespace Trading.Workflow.Domain.Tests.Documents;

public sealed class DataFolderFileStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "tw-files-" + Guid.NewGuid().ToString("N"));
    private readonly DataFolderFileStore _store;

    public DataFolderFileStoreTests() => _store = new DataFolderFileStore(_root);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static MemoryStream Pdf(string text = "招标文件") => new(Encoding.UTF8.GetBytes("%PDF-1.7\n" + text + "\n%%EOF"));

    private static MemoryStream Docx()
    {
        var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            zip.CreateEntry("[Content_Types].xml");
            using var writer = new StreamWriter(zip.CreateEntry("word/document.xml").Open());
            writer.Write("<w:document/>");
        }

        buffer.Position = 0;
        return buffer;
    }

    private string[] FilesOnDisk() => Directory.Exists(_root) ? Directory.GetFiles(_root, "*", SearchOption.AllDirectories) : [];

    [Fact]
    public async Task Save_StoresByHashWithBothDigests()
    {
        var bytes = Pdf().ToArray();

        var stored = await _store.SaveAsync(new MemoryStream(bytes), "招标文件.pdf", FilePolicy.TradeDocuments);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), stored.Sha256);
        Assert.Equal(Convert.ToHexStringLower(Trading.Workflow.Domain.Trail.Sm3.Hash(bytes)), stored.Sm3);
        Assert.Equal(FileKind.Pdf, stored.Kind);
        Assert.Equal(bytes.Length, stored.Length);
        await using var read = await _store.OpenVerifiedAsync(stored.Sha256);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task Save_TheSameBytesTwice_KeepsOneCopy()
    {
        var first = await _store.SaveAsync(Pdf(), "a.pdf", FilePolicy.TradeDocuments);
        var second = await _store.SaveAsync(Pdf(), "b.pdf", FilePolicy.TradeDocuments);

        Assert.Equal(first.Sha256, second.Sha256);
        Assert.Single(FilesOnDisk());
    }

    [Fact]
    public async Task Save_ADocxByItsEntries_IsAccepted()
    {
        var stored = await _store.SaveAsync(Docx(), "投标函.docx", FilePolicy.TradeDocuments);

        Assert.Equal(FileKind.Docx, stored.Kind);
    }

    [Fact]
    public async Task Save_AnExecutableNamedPdf_IsRefusedAndLeavesNothing()
    {
        var exe = new MemoryStream([0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00]);

        var error = await Assert.ThrowsAsync<DomainRuleException>(() => _store.SaveAsync(exe, "a.pdf", FilePolicy.TradeDocuments));

        Assert.Equal(DocumentRules.TypeNotAllowed, error.RuleCode);
        Assert.Empty(FilesOnDisk());
    }

    [Fact]
    public async Task Save_APdfNamedDocx_IsRefused()
    {
        var error = await Assert.ThrowsAsync<DomainRuleException>(() => _store.SaveAsync(Pdf(), "报价.docx", FilePolicy.TradeDocuments));

        Assert.Equal(DocumentRules.ContentDoesNotMatchName, error.RuleCode);
    }

    [Fact]
    public async Task Save_PastTheSizeLimit_StopsReadingAndLeavesNothing()
    {
        var policy = new FilePolicy([FileKind.Pdf], MaxBytes: 1024);
        var content = new CountingStream(Pdf(new string('x', 1_000_000)));

        var error = await Assert.ThrowsAsync<DomainRuleException>(() => _store.SaveAsync(content, "big.pdf", policy));

        Assert.Equal(DocumentRules.TooLarge, error.RuleCode);
        Assert.True(content.BytesRead < 1_000_000, $"read {content.BytesRead} bytes of a file already too large");
        Assert.Empty(FilesOnDisk());
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("")]
    [InlineData("a\u0000.pdf")]
    public async Task Save_ANameWithAPathOrControlCharacters_IsCleanedOrRefused(string name)
    {
        try
        {
            var stored = await _store.SaveAsync(Pdf(), name, new FilePolicy([FileKind.Pdf, FileKind.Text], 1024 * 1024));
            Assert.DoesNotContain('/', stored.Name);
        }
        catch (DomainRuleException error)
        {
            Assert.Contains(error.RuleCode, new[] { DocumentRules.NameInvalid, DocumentRules.ContentDoesNotMatchName });
        }

        Assert.DoesNotContain(FilesOnDisk(), path => !Path.GetFullPath(path).StartsWith(_root, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Open_ASwappedFile_IsRefusedAsDamaged()
    {
        var stored = await _store.SaveAsync(Pdf(), "a.pdf", FilePolicy.TradeDocuments);
        var path = Assert.Single(FilesOnDisk());
        await File.WriteAllTextAsync(path, "%PDF-1.7 a different document");

        var error = await Assert.ThrowsAsync<DocumentDamagedException>(() => _store.OpenVerifiedAsync(stored.Sha256));

        Assert.Equal(stored.Sha256, error.Sha256);
    }

    [Fact]
    public async Task Save_OverADamagedCopy_QuarantinesItAndStoresTheGoodBytes()
    {
        var stored = await _store.SaveAsync(Pdf(), "a.pdf", FilePolicy.TradeDocuments);
        await File.WriteAllTextAsync(Assert.Single(FilesOnDisk()), "tampered");

        await _store.SaveAsync(Pdf(), "a.pdf", FilePolicy.TradeDocuments);

        await using var read = await _store.OpenVerifiedAsync(stored.Sha256);
        Assert.Single(FilesOnDisk(), path => path.Contains("quarantine", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Open_AnUnknownOrMalformedHash_IsNotFound()
    {
        Assert.Equal(DocumentRules.NotFound, (await Assert.ThrowsAsync<DomainRuleException>(() => _store.OpenVerifiedAsync(new string('a', 64)))).RuleCode);
        Assert.Equal(DocumentRules.NotFound, (await Assert.ThrowsAsync<DomainRuleException>(() => _store.OpenVerifiedAsync("../../x"))).RuleCode);
    }

    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, Math.Min(count, 512));
            BytesRead += read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

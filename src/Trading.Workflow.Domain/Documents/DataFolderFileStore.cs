using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;

namespace Trading.Workflow.Domain.Documents;

/// <summary>
/// Files under a folder (the data folder's <c>files/</c> by default), named by their SHA-256 in two levels of
/// sub-folders (<c>ab/cd/abcd…</c>). An upload streams to a temporary file while both digests are computed and is
/// moved into place only once complete and accepted, so a reader never sees half a file.
/// </summary>
public sealed class DataFolderFileStore(string root) : IFileStore
{
    private const int BufferSize = 128 * 1024;

    public string Root { get; } = Path.GetFullPath(root);

    public async Task<StoredFile> SaveAsync(Stream content, string fileName, FilePolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(policy);
        var name = FilePolicy.CleanName(fileName);
        var temporary = Path.Combine(Root, "tmp", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(temporary)!);
        try
        {
            string sha256, sm3;
            long length = 0;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, BufferSize, FileOptions.Asynchronous))
            {
                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var sm = new SM3Digest();
                var buffer = new byte[BufferSize];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    length += read;
                    if (length > policy.MaxBytes)
                    {
                        throw new DomainRuleException(DocumentRules.TooLarge, $"The file is larger than the {policy.MaxBytes / (1024 * 1024)} MB this field accepts.");
                    }

                    sha.AppendData(buffer, 0, read);
                    sm.BlockUpdate(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                if (length == 0)
                {
                    throw new DomainRuleException(DocumentRules.Empty, "The file is empty.");
                }

                await file.FlushAsync(cancellationToken);
                sha256 = Convert.ToHexStringLower(sha.GetHashAndReset());
                var smHash = new byte[32];
                sm.DoFinal(smHash, 0);
                sm3 = Convert.ToHexStringLower(smHash);
                var kind = FileKinds.Detect(file);
                if (kind == FileKind.Unknown && policy.Allowed.Contains(FileKind.SealedCiphertext) && FileKinds.LooksLikeCiphertext(file))
                {
                    kind = FileKind.SealedCiphertext;
                }

                CheckKind(kind, name, policy);
                file.Flush(flushToDisk: true);
                var stored = new StoredFile(sha256, sm3, length, kind, FileKinds.ContentType(kind), name);
                await file.DisposeAsync();
                MoveIntoPlace(temporary, PathOf(sha256), sha256);
                return stored;
            }
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public async Task<Stream> OpenVerifiedAsync(string sha256, CancellationToken cancellationToken = default)
    {
        var path = PathOf(sha256);
        if (!File.Exists(path))
        {
            throw new DomainRuleException(DocumentRules.NotFound, $"No stored file {sha256}.");
        }

        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        try
        {
            var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
            if (!string.Equals(actual, sha256, StringComparison.Ordinal))
            {
                throw new DocumentDamagedException(sha256, actual);
            }

            stream.Position = 0;
            return stream;
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    public Task<Stream> OpenAsync(string sha256, CancellationToken cancellationToken = default)
    {
        var path = PathOf(sha256);
        if (!File.Exists(path))
        {
            throw new DomainRuleException(DocumentRules.NotFound, $"No stored file {sha256}.");
        }

        return Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan));
    }

    private string PathOf(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower))
        {
            throw new DomainRuleException(DocumentRules.NotFound, $"'{sha256}' is not a file hash.");
        }

        return Path.Combine(Root, sha256[..2], sha256[2..4], sha256);
    }

    private static void CheckKind(FileKind kind, string name, FilePolicy policy)
    {
        if (kind == FileKind.Unknown || !policy.Allowed.Contains(kind))
        {
            throw new DomainRuleException(DocumentRules.TypeNotAllowed,
                $"This field accepts {string.Join(", ", policy.Allowed.SelectMany(FileKinds.Extensions))} files; the content of '{name}' is none of them.");
        }

        var extension = Path.GetExtension(name).ToLowerInvariant();
        if (!FileKinds.Extensions(kind).Contains(extension))
        {
            throw new DomainRuleException(DocumentRules.ContentDoesNotMatchName,
                $"'{name}' is named as {extension} but its content is {FileKinds.Extensions(kind)[0]}.");
        }
    }

    private void MoveIntoPlace(string temporary, string target, string sha256)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (File.Exists(target))
        {
            using (var existing = File.OpenRead(target))
            {
                // The same bytes stored before are kept once.
                if (Convert.ToHexStringLower(SHA256.HashData(existing)) == sha256)
                {
                    return;
                }
            }

            // A damaged copy is kept aside as evidence, never overwritten in place.
            var quarantine = Path.Combine(Root, "quarantine", $"{sha256}.{DateTime.UtcNow:yyyyMMddHHmmss}");
            Directory.CreateDirectory(Path.GetDirectoryName(quarantine)!);
            File.Move(target, quarantine);
        }

        try
        {
            File.Move(temporary, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            // Another upload of the same bytes won the race; its copy is identical.
        }
    }
}

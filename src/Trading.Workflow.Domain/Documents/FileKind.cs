using System.IO.Compression;

namespace Trading.Workflow.Domain.Documents;

/// <summary>The kinds of file a trade accepts, told from their content, not from their name.</summary>
public enum FileKind
{
    Unknown,
    Pdf,

    /// <summary>OFD (GB/T 33190), the Chinese fixed-layout format e-government documents use: a ZIP with OFD.xml.</summary>
    Ofd,
    Docx,
    Xlsx,
    Zip,
    Png,
    Jpeg,
    Text,

    /// <summary>
    /// A sealed bid's encrypted file (IV || SM4-CBC ciphertext, named <c>*.sm4</c>): never detected by itself, only
    /// accepted by <see cref="FilePolicy.SealedBids"/> for content no plaintext format recognises, in whole blocks,
    /// that looks random (see <see cref="FileKinds.LooksLikeCiphertext"/>).
    /// </summary>
    SealedCiphertext,
}

public static class FileKinds
{
    public static string ContentType(FileKind kind) => kind switch
    {
        FileKind.Pdf => "application/pdf",
        FileKind.Ofd => "application/ofd",
        FileKind.Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        FileKind.Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        FileKind.Zip => "application/zip",
        FileKind.Png => "image/png",
        FileKind.Jpeg => "image/jpeg",
        FileKind.Text => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };

    /// <summary>The extensions a file of each kind may carry; a name that says otherwise is refused.</summary>
    public static IReadOnlyList<string> Extensions(FileKind kind) => kind switch
    {
        FileKind.Pdf => [".pdf"],
        FileKind.Ofd => [".ofd"],
        FileKind.Docx => [".docx"],
        FileKind.Xlsx => [".xlsx"],
        FileKind.Zip => [".zip"],
        FileKind.Png => [".png"],
        FileKind.Jpeg => [".jpg", ".jpeg"],
        FileKind.Text => [".txt", ".csv"],
        FileKind.SealedCiphertext => [".sm4"],
        _ => [],
    };

    /// <summary>
    /// Reads the kind from the file's first bytes and, for ZIP containers, from the entries that define the format.
    /// The stream must be seekable; its position is left at the start.
    /// </summary>
    public static FileKind Detect(Stream content)
    {
        Span<byte> head = stackalloc byte[8];
        content.Position = 0;
        var read = content.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        content.Position = 0;
        head = head[..read];
        if (head.StartsWith("%PDF-"u8))
        {
            return FileKind.Pdf;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return FileKind.Png;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return FileKind.Jpeg;
        }

        if (head.StartsWith("PK\u0003\u0004"u8))
        {
            return DetectContainer(content);
        }

        return LooksLikeText(content) ? FileKind.Text : FileKind.Unknown;
    }

    /// <summary>
    /// Whether content that no plaintext format recognised can be a sealed bid's ciphertext: a 16-byte IV and whole
    /// 16-byte blocks, and (from 4 KiB on) byte frequencies of random data in the first MiB (chi-square under 481,
    /// ten standard deviations above the 255 of random bytes), so an unencrypted file is refused. Position left at 0.
    /// </summary>
    public static bool LooksLikeCiphertext(Stream content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var length = content.Length;
        if (length < 32 || length % 16 != 0)
        {
            return false;
        }

        if (length < 4096)
        {
            return true;
        }

        var counts = new long[256];
        var buffer = new byte[64 * 1024];
        long total = 0;
        content.Position = 0;
        int read;
        while (total < 1024 * 1024 && (read = content.Read(buffer, 0, buffer.Length)) > 0)
        {
            foreach (var b in buffer.AsSpan(0, read))
            {
                counts[b]++;
            }

            total += read;
        }

        content.Position = 0;
        var expected = total / 256.0;
        var chiSquare = counts.Sum(c => (c - expected) * (c - expected) / expected);
        return chiSquare < 481;
    }

    private static FileKind DetectContainer(Stream content)
    {
        try
        {
            using var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
            var names = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (names.Contains("OFD.xml"))
            {
                return FileKind.Ofd;
            }

            if (names.Contains("[Content_Types].xml"))
            {
                if (names.Contains("word/document.xml"))
                {
                    return FileKind.Docx;
                }

                if (names.Contains("xl/workbook.xml"))
                {
                    return FileKind.Xlsx;
                }
            }

            return FileKind.Zip;
        }
        catch (InvalidDataException)
        {
            return FileKind.Unknown;
        }
        finally
        {
            content.Position = 0;
        }
    }

    // Valid UTF-8 without control characters other than tab and line breaks, judged on the first 64 KB.
    private static bool LooksLikeText(Stream content)
    {
        var buffer = new byte[65536];
        var read = content.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        content.Position = 0;
        if (read == 0)
        {
            return false;
        }

        var span = buffer.AsSpan(0, read);
        if (span.IndexOfAnyInRange((byte)0, (byte)8) >= 0 || span.IndexOfAnyInRange((byte)14, (byte)31) >= 0 || span.Contains((byte)11) || span.Contains((byte)12))
        {
            return false;
        }

        // A multi-byte character cut by the 64 KB window is not an error.
        var decoder = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();
        try
        {
            var chars = new char[read];
            decoder.Convert(span, chars, flush: read < buffer.Length, out _, out _, out _);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

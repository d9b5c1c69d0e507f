using System.Buffers.Binary;
using PdfSharp.Fonts;

namespace Trading.Workflow.Domain.Printing;

/// <summary>
/// The one font the official documents print with: a TrueType font with CJK glyphs, from <see cref="PrintingOptions.FontPath"/>
/// or else WenQuanYi Micro Hei shipped as an embedded resource (Apache-2.0; see <c>Printing/Fonts/README.md</c>), so a
/// fresh machine needs no font installed. Bold is simulated (the face has none). PDFsharp embeds the used subset only.
/// </summary>
public sealed class CjkFontResolver : IFontResolver
{
    /// <summary>The family name the layout asks for.</summary>
    public const string Family = "TradingCjk";

    private const string Face = "TradingCjk-Regular";
    private const string Resource = "Trading.Workflow.Domain.Printing.WenQuanYiMicroHei.ttf";
    private static readonly Lock Gate = new();
    private static CjkFontResolver? _installed;
    private readonly Lazy<byte[]> _bytes;

    private CjkFontResolver(string? fontPath)
    {
        FontPath = string.IsNullOrWhiteSpace(fontPath) ? null : fontPath;
        _bytes = new Lazy<byte[]>(() => FontPath is null ? Shipped() : File.ReadAllBytes(FontPath));
    }

    /// <summary>The configured font file, or null for the shipped one.</summary>
    public string? FontPath { get; }

    /// <summary>
    /// Installs the resolver as PDFsharp's (a process-wide setting PDFsharp reads once). A second call with another
    /// font path keeps the first: one process prints with one font.
    /// </summary>
    public static CjkFontResolver Install(string? fontPath)
    {
        lock (Gate)
        {
            if (_installed is null)
            {
                _installed = new CjkFontResolver(fontPath);
                GlobalFontSettings.FontResolver = _installed;
            }

            return _installed;
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(Face, mustSimulateBold: bold, mustSimulateItalic: italic);

    public byte[]? GetFont(string faceName) => faceName == Face ? _bytes.Value : null;

    /// <summary>Whether the bytes are a TrueType font with glyf outlines (sfnt version 0x00010000 or 'true' and a glyf table).</summary>
    public static bool IsTrueType(ReadOnlySpan<byte> font)
    {
        if (font.Length < 12)
        {
            return false;
        }

        var version = BinaryPrimitives.ReadUInt32BigEndian(font);
        if (version is not (0x00010000u or 0x74727565u))
        {
            return false;
        }

        var tables = BinaryPrimitives.ReadUInt16BigEndian(font[4..]);
        for (var i = 0; i < tables && 12 + (16 * i) + 4 <= font.Length; i++)
        {
            if (font.Slice(12 + (16 * i), 4).SequenceEqual("glyf"u8))
            {
                return true;
            }
        }

        return false;
    }

    private static byte[] Shipped()
    {
        using var stream = typeof(CjkFontResolver).Assembly.GetManifestResourceStream(Resource)
            ?? throw new DomainRuleException(PrintingRules.FontMissing, "The shipped CJK font is missing from the domain assembly.");
        using var copy = new MemoryStream((int)stream.Length);
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

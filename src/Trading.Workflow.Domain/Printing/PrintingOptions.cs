namespace Trading.Workflow.Domain.Printing;

/// <summary>Settings of the official PDF documents (section <c>Printing</c>).</summary>
public sealed class PrintingOptions
{
    public const string SectionName = "Printing";

    /// <summary>
    /// A TrueType (glyf) font with the CJK characters to print with instead of the shipped WenQuanYi Micro Hei (e.g. a
    /// centre's licensed 宋体 file). CFF/OpenType-CFF fonts (Noto CJK .otf) cannot be embedded by PDFsharp and are
    /// refused at start. Empty: the shipped font.
    /// </summary>
    public string? FontPath { get; set; }

    /// <summary>
    /// The portal's public address, printed in the QR code and under it (e.g. <c>https://ggzy.example.gov.cn</c>), so
    /// a printed copy leads to the verify page. Empty: the path only (the web host fills it from its own address).
    /// </summary>
    public string? PortalBaseUrl { get; set; }

    /// <summary>The largest file the verify page hashes for a comparison. Default 100 MB.</summary>
    public long MaxVerifyBytes { get; set; } = 100L * 1024 * 1024;

    public IEnumerable<string> Validate()
    {
        if (!string.IsNullOrWhiteSpace(FontPath))
        {
            if (!File.Exists(FontPath))
            {
                yield return $"Printing:FontPath '{FontPath}' does not exist.";
            }
            else if (!CjkFontResolver.IsTrueType(File.ReadAllBytes(FontPath)))
            {
                yield return $"Printing:FontPath '{FontPath}' is not a TrueType (glyf) font; PDFsharp cannot embed CFF outlines.";
            }
        }

        if (!string.IsNullOrWhiteSpace(PortalBaseUrl)
            && (!Uri.TryCreate(PortalBaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
        {
            yield return $"Printing:PortalBaseUrl '{PortalBaseUrl}' is not an absolute http(s) address.";
        }

        if (MaxVerifyBytes <= 0)
        {
            yield return "Printing:MaxVerifyBytes must be positive.";
        }
    }
}

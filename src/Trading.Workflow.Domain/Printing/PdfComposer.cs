using System.Globalization;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using QRCoder;

namespace Trading.Workflow.Domain.Printing;

/// <summary>What the composer prints besides the spec: the issued id, when, the project and the verify address.</summary>
public sealed record PrintHeader(Guid IssuedId, DateTimeOffset IssuedAt, string ProjectCode, string ProjectName, string VerifyUrl);

/// <summary>
/// Lays an <see cref="OfficialDocumentSpec"/> out on A4 pages with the CJK font: title and number, body blocks (headings,
/// wrapped paragraphs, label–value grids, tables whose header repeats on every page, signature lines), the issuer and
/// issue time, a QR code of the verify address on the last page, and a footer with page numbers on every page.
/// </summary>
public static class PdfComposer
{
    private const double PageWidth = 595.28;
    private const double PageHeight = 841.89;
    private const double Margin = 56;
    private const double BottomMargin = 64;
    private const double Width = PageWidth - (2 * Margin);
    private const double Padding = 3;
    private const double QrSize = 86;
    private const string ClosingPunctuation = "，。、；：？！）》」』】〕…,.;:?!)]%";
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    public static byte[] Render(OfficialDocumentSpec spec, PrintHeader header)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(header);

        // The resolver the host installed (with its configured font), or the shipped font when none was.
        CjkFontResolver.Install(null);
        var document = new PdfDocument();
        document.Info.Title = spec.Title;
        document.Info.Author = spec.Issuer;
        document.Info.Subject = spec.Kind;
        document.Info.Creator = "Trading.Workflow";
        document.Info.CreationDate = header.IssuedAt.UtcDateTime;
        document.Options.CompressContentStreams = true;
        using (var writer = new Writer(document))
        {
            writer.Title(spec.Title, spec.Number);
            writer.Fields([
                new("项目编号", header.ProjectCode),
                new("项目名称", header.ProjectName),
            ]);
            foreach (var block in spec.Blocks)
            {
                switch (block)
                {
                    case HeadingBlock h:
                        writer.Heading(h.Text, h.Level);
                        break;
                    case ParagraphBlock p:
                        writer.Paragraph(p.Text);
                        break;
                    case FieldsBlock f:
                        writer.Fields(f.Fields);
                        break;
                    case TableBlock t:
                        writer.Table(t);
                        break;
                    case SignaturesBlock s:
                        writer.Signatures(s.Labels);
                        break;
                    default:
                        throw new ArgumentException($"Unknown block {block.GetType().Name}.", nameof(spec));
                }
            }

            writer.Issuer(spec.Issuer, ToChina(header.IssuedAt));
            writer.VerifyBox(header);
        }

        Footers(document, spec.Title, header.IssuedId);
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    /// <summary>The QR modules of a text (quiet zone included), as QRCoder encodes it: what the PDF draws.</summary>
    public static bool[][] QrModules(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return [.. data.ModuleMatrix.Select(row => Enumerable.Range(0, row.Length).Select(i => row[i]).ToArray())];
    }

    public static string FormatChinaTime(DateTimeOffset at) =>
        ToChina(at).ToString("yyyy年M月d日 HH:mm", CultureInfo.InvariantCulture);

    private static DateTimeOffset ToChina(DateTimeOffset at) => at.ToOffset(ChinaStandardTime);

    private static void Footers(PdfDocument document, string title, Guid issuedId)
    {
        var font = Fonts.Small;
        var count = document.PageCount;
        for (var i = 0; i < count; i++)
        {
            using var gfx = XGraphics.FromPdfPage(document.Pages[i], XGraphicsPdfPageOptions.Append);
            var y = PageHeight - BottomMargin + 24;
            gfx.DrawLine(new XPen(XColors.Gray, 0.5), Margin, y - 6, PageWidth - Margin, y - 6);
            gfx.DrawString($"{title}    第 {i + 1} 页 共 {count} 页", font, XBrushes.Black, new XRect(Margin, y, Width, 12), XStringFormats.TopCenter);
            gfx.DrawString("文件编号 " + issuedId.ToString("D"), font, XBrushes.Gray, new XRect(Margin, y + 12, Width, 12), XStringFormats.TopCenter);
        }
    }

    private static class Fonts
    {
        private static readonly XPdfFontOptions Unicode = new(PdfFontEncoding.Unicode);
        public static readonly XFont Title = new(CjkFontResolver.Family, 18, XFontStyleEx.Bold, Unicode);
        public static readonly XFont Heading1 = new(CjkFontResolver.Family, 13, XFontStyleEx.Bold, Unicode);
        public static readonly XFont Heading2 = new(CjkFontResolver.Family, 11.5, XFontStyleEx.Bold, Unicode);
        public static readonly XFont Body = new(CjkFontResolver.Family, 10.5, XFontStyleEx.Regular, Unicode);
        public static readonly XFont Label = new(CjkFontResolver.Family, 10.5, XFontStyleEx.Bold, Unicode);
        public static readonly XFont Cell = new(CjkFontResolver.Family, 9.5, XFontStyleEx.Regular, Unicode);
        public static readonly XFont CellHeader = new(CjkFontResolver.Family, 9.5, XFontStyleEx.Bold, Unicode);
        public static readonly XFont Small = new(CjkFontResolver.Family, 8, XFontStyleEx.Regular, Unicode);
    }

    /// <summary>Draws top to bottom, opening a new page when the next piece does not fit.</summary>
    private sealed class Writer(PdfDocument document) : IDisposable
    {
        private readonly Dictionary<(XFont, char), double> _widths = [];
        private XGraphics? _gfx;
        private double _y;

        private XGraphics Gfx => _gfx ?? NewPage();

        public void Title(string title, string? number)
        {
            var lines = Wrap(title, Fonts.Title, Width);
            Ensure(LineHeight(Fonts.Title) * lines.Count + 30);
            foreach (var line in lines)
            {
                Gfx.DrawString(line, Fonts.Title, XBrushes.Black, new XRect(Margin, _y, Width, LineHeight(Fonts.Title)), XStringFormats.TopCenter);
                _y += LineHeight(Fonts.Title);
            }

            if (!string.IsNullOrWhiteSpace(number))
            {
                Gfx.DrawString(number, Fonts.Body, XBrushes.Black, new XRect(Margin, _y + 2, Width, LineHeight(Fonts.Body)), XStringFormats.TopCenter);
                _y += LineHeight(Fonts.Body) + 2;
            }

            _y += 14;
        }

        public void Heading(string text, int level)
        {
            var font = level <= 1 ? Fonts.Heading1 : Fonts.Heading2;
            var lines = Wrap(text, font, Width);
            _y += level <= 1 ? 8 : 4;

            // A heading is kept with at least two lines of what follows.
            Ensure((LineHeight(font) * lines.Count) + (2 * LineHeight(Fonts.Body)));
            foreach (var line in lines)
            {
                Gfx.DrawString(line, font, XBrushes.Black, Margin, _y, XStringFormats.TopLeft);
                _y += LineHeight(font);
            }

            _y += 3;
        }

        public void Paragraph(string text)
        {
            foreach (var line in Wrap(text, Fonts.Body, Width))
            {
                Ensure(LineHeight(Fonts.Body));
                Gfx.DrawString(line, Fonts.Body, XBrushes.Black, Margin, _y, XStringFormats.TopLeft);
                _y += LineHeight(Fonts.Body);
            }

            _y += 5;
        }

        public void Fields(IReadOnlyList<KeyValuePair<string, string>> fields)
        {
            var labelWidth = Math.Min(Width * 0.32, fields.Count == 0 ? 0 : fields.Max(f => Measure(f.Key + "：", Fonts.Label)) + 4);
            foreach (var (label, value) in fields)
            {
                var lines = Wrap(value, Fonts.Body, Width - labelWidth);
                var labelLines = Wrap(label + "：", Fonts.Label, labelWidth);
                var height = Math.Max(lines.Count, labelLines.Count) * LineHeight(Fonts.Body);
                Ensure(Math.Min(height, LineHeight(Fonts.Body) * 3));
                var top = _y;
                for (var i = 0; i < labelLines.Count; i++)
                {
                    Gfx.DrawString(labelLines[i], Fonts.Label, XBrushes.Black, Margin, top + (i * LineHeight(Fonts.Body)), XStringFormats.TopLeft);
                }

                foreach (var line in lines)
                {
                    Ensure(LineHeight(Fonts.Body));
                    Gfx.DrawString(line, Fonts.Body, XBrushes.Black, Margin + labelWidth, _y, XStringFormats.TopLeft);
                    _y += LineHeight(Fonts.Body);
                }

                _y = Math.Max(_y, top + (labelLines.Count * LineHeight(Fonts.Body)));
            }

            _y += 5;
        }

        public void Table(TableBlock table)
        {
            var columns = table.Header.Count;
            if (columns == 0)
            {
                return;
            }

            var weights = table.Widths is { } w && w.Count == columns && w.All(x => x > 0) ? w : Enumerable.Repeat(1d, columns).ToList();
            var total = weights.Sum();
            var widths = weights.Select(x => Width * x / total).ToArray();
            DrawRow(table.Header, widths, header: true);
            var headerRow = table.Header;
            foreach (var row in table.Rows)
            {
                var cells = Enumerable.Range(0, columns).Select(i => i < row.Count ? row[i] ?? string.Empty : string.Empty).ToList();
                if (!Fits(RowHeight(cells, widths, Fonts.Cell)))
                {
                    NewPage();
                    DrawRow(headerRow, widths, header: true);
                }

                DrawRow(cells, widths, header: false);
            }

            _y += 8;
        }

        public void Signatures(IReadOnlyList<string> labels)
        {
            _y += 10;
            var half = Width / 2;
            for (var i = 0; i < labels.Count; i += 2)
            {
                Ensure(LineHeight(Fonts.Body) * 2.2);
                for (var j = 0; j < 2 && i + j < labels.Count; j++)
                {
                    var x = Margin + (j * half);
                    var text = labels[i + j] + "：";
                    Gfx.DrawString(text, Fonts.Body, XBrushes.Black, x, _y, XStringFormats.TopLeft);
                    var start = x + Measure(text, Fonts.Body) + 2;
                    Gfx.DrawLine(XPens.Black, start, _y + LineHeight(Fonts.Body), x + half - 16, _y + LineHeight(Fonts.Body));
                }

                _y += LineHeight(Fonts.Body) * 2.2;
            }
        }

        public void Issuer(string issuer, DateTimeOffset issuedAt)
        {
            _y += 16;
            Ensure(LineHeight(Fonts.Body) * 2);
            var right = new XRect(Margin, _y, Width, LineHeight(Fonts.Body));
            foreach (var line in Wrap(issuer, Fonts.Body, Width))
            {
                Gfx.DrawString(line, Fonts.Body, XBrushes.Black, right, XStringFormats.TopRight);
                _y += LineHeight(Fonts.Body);
                right = new XRect(Margin, _y, Width, LineHeight(Fonts.Body));
            }

            Gfx.DrawString(issuedAt.ToString("yyyy年M月d日", CultureInfo.InvariantCulture), Fonts.Body, XBrushes.Black, right, XStringFormats.TopRight);
            _y += LineHeight(Fonts.Body) + 10;
        }

        public void VerifyBox(PrintHeader header)
        {
            Ensure(QrSize + 8);
            var top = _y;
            var modules = QrModules(header.VerifyUrl);
            var size = QrSize / modules.Length;
            for (var r = 0; r < modules.Length; r++)
            {
                for (var c = 0; c < modules[r].Length; c++)
                {
                    if (modules[r][c])
                    {
                        // Overlap by a hair so no hairline gaps show between modules at any zoom.
                        Gfx.DrawRectangle(XBrushes.Black, Margin + (c * size), top + (r * size), size + 0.05, size + 0.05);
                    }
                }
            }

            var x = Margin + QrSize + 10;
            var textWidth = Width - QrSize - 10;
            var lines = new List<string> { "本文件由平台出具，扫描二维码或访问以下地址核验：" };
            lines.AddRange(Wrap(header.VerifyUrl, Fonts.Small, textWidth));
            lines.Add("出具时间：" + FormatChinaTime(header.IssuedAt));
            lines.Add("核验页面显示本文件登记的 SM3 杂凑值，可上传文件比对。");
            var y = top + 8;
            foreach (var line in lines)
            {
                Gfx.DrawString(line, Fonts.Small, XBrushes.Black, x, y, XStringFormats.TopLeft);
                y += LineHeight(Fonts.Small);
            }

            _y = top + QrSize + 8;
        }

        public void Dispose() => _gfx?.Dispose();

        private void DrawRow(IReadOnlyList<string> cells, double[] widths, bool header)
        {
            var font = header ? Fonts.CellHeader : Fonts.Cell;
            var height = RowHeight(cells, widths, font);
            if (!Fits(height))
            {
                NewPage();
            }

            // A row taller than a page is cut at the page's foot (its text wraps; nothing else can be done with it).
            height = Math.Min(height, PageHeight - BottomMargin - _y);
            var x = Margin;
            for (var i = 0; i < widths.Length; i++)
            {
                var rect = new XRect(x, _y, widths[i], height);
                if (header)
                {
                    Gfx.DrawRectangle(new XSolidBrush(XColor.FromArgb(235, 235, 235)), rect);
                }

                Gfx.DrawRectangle(new XPen(XColors.Black, 0.5), rect);
                var y = _y + Padding;
                foreach (var line in Wrap(i < cells.Count ? cells[i] : string.Empty, font, widths[i] - (2 * Padding)))
                {
                    if (y + LineHeight(font) > _y + height)
                    {
                        break;
                    }

                    Gfx.DrawString(line, font, XBrushes.Black, x + Padding, y, XStringFormats.TopLeft);
                    y += LineHeight(font);
                }

                x += widths[i];
            }

            _y += height;
        }

        private double RowHeight(IReadOnlyList<string> cells, double[] widths, XFont font) =>
            (Enumerable.Range(0, widths.Length).Max(i => Wrap(i < cells.Count ? cells[i] : string.Empty, font, widths[i] - (2 * Padding)).Count) * LineHeight(font))
            + (2 * Padding);

        private bool Fits(double height) => _gfx is not null && _y + height <= PageHeight - BottomMargin;

        private void Ensure(double height)
        {
            if (!Fits(height))
            {
                NewPage();
            }
        }

        private XGraphics NewPage()
        {
            _gfx?.Dispose();
            var page = document.AddPage();
            page.Size = PageSize.A4;
            _gfx = XGraphics.FromPdfPage(page);
            _y = Margin;
            return _gfx;
        }

        private static double LineHeight(XFont font) => font.Size * 1.45;

        private double Measure(string text, XFont font)
        {
            var width = 0d;
            foreach (var c in text)
            {
                width += CharWidth(c, font);
            }

            return width;
        }

        private double CharWidth(char c, XFont font)
        {
            if (!_widths.TryGetValue((font, c), out var width))
            {
                width = _widths[(font, c)] = Gfx.MeasureString(c.ToString(), font).Width;
            }

            return width;
        }

        /// <summary>
        /// Breaks text into lines no wider than <paramref name="width"/>: CJK text between any two characters, Latin
        /// words at spaces when a word fits on a line, closing punctuation never at a line's start; line breaks kept.
        /// </summary>
        private List<string> Wrap(string text, XFont font, double width)
        {
            var result = new List<string>();
            foreach (var paragraph in (text ?? string.Empty).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
            {
                var line = new System.Text.StringBuilder();
                var lineWidth = 0d;
                foreach (var c in paragraph)
                {
                    var w = CharWidth(c, font);
                    if (lineWidth + w > width && line.Length > 0 && !ClosingPunctuation.Contains(c))
                    {
                        var breakAt = IsWordChar(c) ? LastSpace(line) : -1;
                        if (breakAt > 0)
                        {
                            result.Add(line.ToString(0, breakAt).TrimEnd());
                            var rest = line.ToString(breakAt + 1, line.Length - breakAt - 1);
                            line.Clear().Append(rest);
                            lineWidth = Measure(rest, font);
                        }
                        else
                        {
                            result.Add(line.ToString());
                            line.Clear();
                            lineWidth = 0;
                        }

                        if (c == ' ')
                        {
                            continue;
                        }
                    }

                    line.Append(c);
                    lineWidth += w;
                }

                result.Add(line.ToString());
            }

            return result;
        }

        private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '/' or '.' or ':';

        private static int LastSpace(System.Text.StringBuilder line)
        {
            for (var i = line.Length - 1; i > 0 && line.Length - i < 40; i--)
            {
                if (line[i] == ' ')
                {
                    return i;
                }

                if (!IsWordChar(line[i]))
                {
                    return -1;
                }
            }

            return -1;
        }
    }
}

using UglyToad.PdfPig;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace Trading.Workflow.Domain.Tests.Printing;

/// <summary>Reads an issued PDF back as a reader would: its text, its fonts, and the QR code drawn on its last page.</summary>
internal static class PdfReading
{
    public static string Text(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return string.Concat(document.GetPages().Select(p => string.Concat(p.Letters.Select(l => l.Value))));
    }

    public static int Pages(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return document.NumberOfPages;
    }

    public static IReadOnlyCollection<string> FontNames(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return document.GetPages().SelectMany(p => p.Letters.Select(l => l.FontName ?? string.Empty)).Distinct().ToList();
    }

    /// <summary>
    /// Rebuilds the QR code from the small filled squares drawn on the last page (the modules, in PDF user space),
    /// rasterises it with a quiet zone, and decodes it with ZXing; null when no QR code is found.
    /// </summary>
    public static string? DecodeQr(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        var page = document.GetPage(document.NumberOfPages);
        var squares = page.Paths.Where(p => p.IsFilled)
            .Select(p => p.GetBoundingRectangle())
            .Where(r => r is { } b && b.Width > 0.5 && b.Width < 6 && Math.Abs(b.Width - b.Height) < 0.01)
            .Select(r => r!.Value)
            .ToList();
        if (squares.Count < 50)
        {
            return null;
        }

        var size = squares.Min(r => r.Width) - 0.05;
        var left = squares.Min(r => r.Left);
        var top = squares.Max(r => r.Top);
        var cells = squares.Select(r => ((int)Math.Round((r.Left - left) / size), (int)Math.Round((top - r.Top) / size))).ToHashSet();
        var modules = cells.Max(c => Math.Max(c.Item1, c.Item2)) + 1;
        const int Scale = 8;
        const int Quiet = 4;
        var width = (modules + (2 * Quiet)) * Scale;
        var pixels = Enumerable.Repeat((byte)255, width * width).ToArray();
        foreach (var (x, y) in cells)
        {
            for (var dy = 0; dy < Scale; dy++)
            {
                for (var dx = 0; dx < Scale; dx++)
                {
                    pixels[(((y + Quiet) * Scale) + dy) * width + ((x + Quiet) * Scale) + dx] = 0;
                }
            }
        }

        var source = new RGBLuminanceSource(pixels, width, width, RGBLuminanceSource.BitmapFormat.Gray8);
        // The image holds only the code: read it as a pure barcode. Finder-pattern detection failed on about 0.6% of
        // verify addresses (data modules that look like a finder pattern), which made a PDF test fail now and then.
        var hints = new Dictionary<DecodeHintType, object> { [DecodeHintType.PURE_BARCODE] = true };
        var result = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)), hints);
        return result?.Text;
    }
}

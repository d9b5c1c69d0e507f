using System.Globalization;
using System.Text.Json;

namespace Trading.Workflow.Domain.Openings;

/// <summary>
/// The bid letter (投标函): the sealed bid's item of kind BidLetter, UTF-8 JSON
/// <c>{ "price": "1234567.89", "durationDays": 365, "quality": "合格", "remarks": "..." }</c>. The opening record is
/// built from it after decryption, never typed.
/// </summary>
public sealed record BidLetter(decimal Price, int DurationDays, string Quality, string Remarks)
{
    public const int MaxQualityLength = 200;
    public const int MaxRemarksLength = 2000;

    /// <summary>Reads a decrypted letter; null when it is not one (the bid then fails as <see cref="DecryptFailureCause.LetterInvalid"/>).</summary>
    public static BidLetter? TryParse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            using var json = JsonDocument.Parse(utf8.ToArray());
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("price", out var priceElement)
                || !root.TryGetProperty("durationDays", out var durationElement)
                || !root.TryGetProperty("quality", out var qualityElement) || qualityElement.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            var priceText = priceElement.ValueKind switch
            {
                JsonValueKind.String => priceElement.GetString(),
                JsonValueKind.Number => priceElement.GetRawText(),
                _ => null,
            };
            if (!decimal.TryParse(priceText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var price) || price <= 0 || decimal.Round(price, 2) != price)
            {
                return null;
            }

            if (durationElement.ValueKind != JsonValueKind.Number || !durationElement.TryGetInt32(out var days) || days <= 0)
            {
                return null;
            }

            var quality = (qualityElement.GetString() ?? string.Empty).Trim();
            var remarks = root.TryGetProperty("remarks", out var remarksElement) && remarksElement.ValueKind == JsonValueKind.String
                ? (remarksElement.GetString() ?? string.Empty).Trim()
                : string.Empty;
            if (quality.Length is 0 or > MaxQualityLength || remarks.Length > MaxRemarksLength)
            {
                return null;
            }

            return new BidLetter(price, days, quality, remarks);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

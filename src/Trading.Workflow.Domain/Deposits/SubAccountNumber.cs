using System.Globalization;

namespace Trading.Workflow.Domain.Deposits;

/// <summary>
/// The virtual sub-account (虚拟子账号) a bidder pays a section's deposit into, also its reference code: the section's
/// serial (8 digits), the participant's number in the section (4 digits) and a Luhn check digit, 13 digits in all.
/// A payment into an exact number is matched to its bidder and section; one whose first 8 digits name a section but
/// whose rest is wrong (a typo the check digit catches) waits in that section's suspense for staff to assign it.
/// </summary>
public static class SubAccountNumber
{
    public const int Length = 13;
    public const int MaxSectionSerial = 99_999_999;
    public const int MaxParticipant = 9_999;

    public static string Create(int sectionSerial, int participant)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sectionSerial, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sectionSerial, MaxSectionSerial);
        ArgumentOutOfRangeException.ThrowIfLessThan(participant, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(participant, MaxParticipant);
        var body = sectionSerial.ToString("D8", CultureInfo.InvariantCulture) + participant.ToString("D4", CultureInfo.InvariantCulture);
        return body + CheckDigit(body);
    }

    /// <summary>The digits of a reference as a payer may have typed it (spaces and dashes dropped).</summary>
    public static string Normalize(string? reference) => string.Concat((reference ?? string.Empty).Where(char.IsAsciiDigit));

    /// <summary>True when <paramref name="reference"/> is 13 digits with a correct check digit.</summary>
    public static bool IsValid(string? reference)
    {
        var digits = Normalize(reference);
        return digits.Length == Length && CheckDigit(digits[..^1]) == digits[^1];
    }

    /// <summary>The section serial a reference starts with, if it has at least its 8 digits (valid or not).</summary>
    public static int? SectionSerialOf(string? reference)
    {
        var digits = Normalize(reference);
        return digits.Length >= 8 && int.TryParse(digits.AsSpan(0, 8), NumberStyles.None, CultureInfo.InvariantCulture, out var serial) && serial > 0
            ? serial
            : null;
    }

    private static char CheckDigit(string body)
    {
        var sum = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var digit = body[body.Length - 1 - i] - '0';
            if (i % 2 == 0)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
        }

        return (char)('0' + ((10 - (sum % 10)) % 10));
    }
}

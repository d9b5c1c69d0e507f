namespace Trading.Workflow.Domain.Market;

/// <summary>
/// 居民身份证号码 (GB 11643-1999): 6-digit division, 8-digit birth date, 3-digit sequence (odd for men) and a
/// check character (0–9 or X) computed ISO 7064 MOD 11-2 over the first 17 digits.
/// </summary>
public readonly record struct ResidentIdNumber
{
    public const int Length = 18;

    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    private ResidentIdNumber(string value) => Value = value;

    public string Value { get; }

    public DateOnly BirthDate => DateOnly.ParseExact(Value.AsSpan(6, 8), "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The number with all but the first and last four characters hidden, for lists and notices.</summary>
    public string Masked => Mask(Value);

    /// <summary>
    /// A stored number with all but its first and last four characters hidden; anything not 18 characters long is
    /// hidden whole, so a damaged value never shows.
    /// </summary>
    public static string Mask(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length == Length
            ? string.Concat(value.AsSpan(0, 4), new string('*', Length - 8), value.AsSpan(Length - 4))
            : new string('*', Length);
    }

    public override string ToString() => Value;

    public static ResidentIdNumber Parse(string? text, DateOnly today)
    {
        if (TryParse(text, today, out var number, out var ruleCode, out var message))
        {
            return number;
        }

        throw new DomainRuleException(ruleCode!, message!);
    }

    /// <param name="today">A birth date after today is refused, so the clock is the caller's.</param>
    public static bool TryParse(string? text, DateOnly today, out ResidentIdNumber number, out string? ruleCode, out string? message)
    {
        number = default;
        var value = string.Concat((text ?? string.Empty).Where(c => !char.IsWhiteSpace(c))).ToUpperInvariant();
        (ruleCode, message) = Check(value, today);
        if (ruleCode is not null)
        {
            return false;
        }

        number = new ResidentIdNumber(value);
        return true;
    }

    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != Length - 1)
        {
            throw new ArgumentException("Exactly 17 digits are needed.", nameof(first17));
        }

        var sum = 0;
        for (var i = 0; i < first17.Length; i++)
        {
            if (!char.IsAsciiDigit(first17[i]))
            {
                throw new ArgumentException("The first 17 characters must be digits.", nameof(first17));
            }

            sum += (first17[i] - '0') * Weights[i];
        }

        return CheckCharacters[sum % 11];
    }

    private static (string? RuleCode, string? Message) Check(string value, DateOnly today)
    {
        if (value.Length == 0)
        {
            return (MarketRules.ResidentIdRequired, "A resident ID number is required.");
        }

        if (value.Length != Length || !value[..(Length - 1)].All(char.IsAsciiDigit)
            || !(char.IsAsciiDigit(value[^1]) || value[^1] == 'X'))
        {
            return (MarketRules.ResidentIdFormat, "A resident ID number has 17 digits followed by a digit or X.");
        }

        if (!DateOnly.TryParseExact(value.AsSpan(6, 8), "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var birth) || birth.Year < 1900 || birth > today)
        {
            return (MarketRules.ResidentIdBirthDate, "Digits 7 to 14 of a resident ID number must be a real birth date.");
        }

        var expected = CheckCharacter(value.AsSpan(0, Length - 1));
        return value[^1] == expected
            ? (null, null)
            : (MarketRules.ResidentIdCheck, $"The check digit of this resident ID number does not match (expected '{expected}'): a digit was probably mistyped.");
    }
}

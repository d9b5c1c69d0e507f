namespace Trading.Workflow.Domain.Market;

/// <summary>
/// 统一社会信用代码 (GB 32100-2015): 18 characters — registration authority (1), entity type (1), administrative
/// division (6 digits), organisation code (9) and a check character computed over the first 17.
/// </summary>
public readonly record struct UnifiedSocialCreditCode
{
    public const int Length = 18;

    // The standard's alphabet: digits and the capitals except I, O, Z, S and V, each worth its index.
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    // Weight of position i is 3^i mod 31.
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    private UnifiedSocialCreditCode(string value) => Value = value;

    public string Value { get; }

    /// <summary>Digits 3–8: the administrative division where the entity registered (e.g. 530100 for Kunming).</summary>
    public string DivisionCode => Value.Substring(2, 6);

    public override string ToString() => Value;

    /// <summary>Parses a code typed by a user: spaces are dropped and letters upper-cased before checking.</summary>
    public static UnifiedSocialCreditCode Parse(string? text)
    {
        if (TryParse(text, out var code, out var ruleCode, out var message))
        {
            return code;
        }

        throw new DomainRuleException(ruleCode!, message!);
    }

    public static bool TryParse(string? text, out UnifiedSocialCreditCode code, out string? ruleCode, out string? message)
    {
        code = default;
        var value = string.Concat((text ?? string.Empty).Where(c => !char.IsWhiteSpace(c))).ToUpperInvariant();
        (ruleCode, message) = Check(value);
        if (ruleCode is not null)
        {
            return false;
        }

        code = new UnifiedSocialCreditCode(value);
        return true;
    }

    /// <summary>The check character the standard assigns to the first 17 characters.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != Length - 1)
        {
            throw new ArgumentException("Exactly 17 characters are needed.", nameof(first17));
        }

        var sum = 0;
        for (var i = 0; i < first17.Length; i++)
        {
            var value = Alphabet.IndexOf(first17[i]);
            if (value < 0)
            {
                throw new ArgumentException($"'{first17[i]}' is not a credit-code character.", nameof(first17));
            }

            sum += value * Weights[i];
        }

        return Alphabet[(31 - (sum % 31)) % 31];
    }

    private static (string? RuleCode, string? Message) Check(string value)
    {
        if (value.Length == 0)
        {
            return (MarketRules.CreditCodeRequired, "A unified social credit code is required.");
        }

        if (value.Length != Length)
        {
            return (MarketRules.CreditCodeLength, $"A unified social credit code has 18 characters, not {value.Length}.");
        }

        foreach (var c in value)
        {
            if (Alphabet.IndexOf(c) < 0)
            {
                return (MarketRules.CreditCodeCharacter, $"'{c}' cannot appear in a unified social credit code (I, O, Z, S and V are never used).");
            }
        }

        for (var i = 2; i < 8; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                return (MarketRules.CreditCodeDivision, "Characters 3 to 8 of a unified social credit code are the administrative division code and must be digits.");
            }
        }

        var expected = CheckCharacter(value.AsSpan(0, Length - 1));
        return value[^1] == expected
            ? (null, null)
            : (MarketRules.CreditCodeCheck, $"The check character of this unified social credit code does not match (expected '{expected}'): a character was probably mistyped.");
    }
}

using Trading.Workflow.Domain.Trades;

namespace Trading.Workflow.Domain.Deposits;

/// <summary>
/// Settings of the deposits (<c>Deposits</c> in configuration): the banks that may call back and their secrets, the
/// replay window, refund interest per trade type, the forfeiture account and how instructions reach the bank.
/// </summary>
public sealed class DepositOptions
{
    public const string SectionName = "Deposits";

    /// <summary>The banks by code (the code is in the callback's path). Each needs a secret of at least 32 characters.</summary>
    public Dictionary<string, BankOptions> Banks { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How old (or how far ahead) a callback's timestamp may be. Default 5 minutes.</summary>
    public TimeSpan CallbackTolerance { get; set; } = BankCallbackSignature.DefaultTolerance;

    /// <summary>
    /// Annual interest on refunds per trade type (a section may set its own). Engineering tenders refund "with bank
    /// deposit interest" (条例 57): the demand-deposit benchmark rate 0.35%; land is refunded without interest.
    /// A trade type not listed is refunded without interest.
    /// </summary>
    public Dictionary<string, decimal> InterestRates { get; set; } = new(StringComparer.Ordinal)
    {
        [TradeTypes.EngineeringConstruction] = 0.0035m,
    };

    /// <summary>The bank whose secret signs outgoing instructions and whose adapter sends them.</summary>
    public string InstructionBank { get; set; } = string.Empty;

    /// <summary><c>file</c> (signed files in <see cref="InstructionFolder"/>) or <c>http</c> (to <see cref="BankBaseUrl"/>).</summary>
    public string Adapter { get; set; } = "file";

    /// <summary>Where the file adapter writes; relative to the data folder. Default <c>bank/instructions</c>.</summary>
    public string InstructionFolder { get; set; } = Path.Combine("bank", "instructions");

    /// <summary>The bank's instruction API for the http adapter (ends with /).</summary>
    public string? BankBaseUrl { get; set; }

    /// <summary>How long one call to the bank may take before it counts as timed out. Default 20 seconds.</summary>
    public TimeSpan BankTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Where forfeited deposits go (the non-tax income account, 非税收入账户).</summary>
    public string ForfeitureAccount { get; set; } = string.Empty;

    public string ForfeitureAccountName { get; set; } = string.Empty;

    public string ForfeitureBank { get; set; } = string.Empty;

    /// <summary>
    /// How long after a refund becomes owed (a bid withdrawn) the refund timer first takes it; never later than the
    /// refund is due. Default 0: at the timer's next tick.
    /// </summary>
    public TimeSpan ScheduledRefundDelay { get; set; } = TimeSpan.Zero;

    /// <summary>How often the refund timer looks for refunds that have come due. Default 1 minute.</summary>
    public TimeSpan RefundTimerInterval { get; set; } = TimeSpan.FromMinutes(1);

    public decimal InterestRateFor(DepositSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return section.InterestRate ?? (InterestRates.TryGetValue(section.TradeType, out var rate) ? rate : 0m);
    }

    public IEnumerable<string> Validate()
    {
        foreach (var (code, bank) in Banks)
        {
            if (string.IsNullOrWhiteSpace(code) || code.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-'))
            {
                yield return $"{SectionName}:Banks:{code}: a bank code is letters, digits and dashes.";
            }

            if (bank.Secret is not { Length: >= 32 })
            {
                yield return $"{SectionName}:Banks:{code}:Secret must be at least 32 characters.";
            }
        }

        if (CallbackTolerance <= TimeSpan.Zero || CallbackTolerance > TimeSpan.FromHours(1))
        {
            yield return $"{SectionName}:CallbackTolerance must be between 0 and 1 hour.";
        }

        foreach (var (tradeType, rate) in InterestRates)
        {
            if (rate is < 0 or > 0.2m)
            {
                yield return $"{SectionName}:InterestRates:{tradeType} must be between 0 and 0.2.";
            }
        }

        if (!string.IsNullOrEmpty(InstructionBank) && !Banks.ContainsKey(InstructionBank))
        {
            yield return $"{SectionName}:InstructionBank names no bank under {SectionName}:Banks.";
        }

        if (Adapter is not ("file" or "http"))
        {
            yield return $"{SectionName}:Adapter must be file or http.";
        }

        if (Adapter == "http" && !Uri.TryCreate(BankBaseUrl, UriKind.Absolute, out _))
        {
            yield return $"{SectionName}:BankBaseUrl must be an absolute URL when {SectionName}:Adapter is http.";
        }

        if (BankTimeout <= TimeSpan.Zero)
        {
            yield return $"{SectionName}:BankTimeout must be positive.";
        }

        if (ScheduledRefundDelay < TimeSpan.Zero || ScheduledRefundDelay > TimeSpan.FromDays(4))
        {
            yield return $"{SectionName}:ScheduledRefundDelay must be between 0 and 4 days (the refund is due within 5 日).";
        }

        if (RefundTimerInterval < TimeSpan.FromSeconds(1) || RefundTimerInterval > TimeSpan.FromHours(1))
        {
            yield return $"{SectionName}:RefundTimerInterval must be between 1 second and 1 hour.";
        }
    }
}

public sealed class BankOptions
{
    public string Name { get; set; } = string.Empty;

    /// <summary>The shared HMAC secret (at least 32 characters); never in appsettings.json of a real installation.</summary>
    public string Secret { get; set; } = string.Empty;
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Deposits;

namespace Trading.Workflow.Web.Deposits;

/// <summary>
/// Settings of the mock bank (<c>Deposits:MockBank</c>): a demo and test stand-in for the bank, off by default. It
/// serves the http adapter's instruction API under <see cref="MockBank.Path"/> (paying each instruction once per id)
/// and lets the demo page send signed deposit callbacks as the bank would.
/// </summary>
public sealed class MockBankOptions
{
    public const string SectionName = "Deposits:MockBank";

    /// <summary>Serve the mock bank (ignored in Production). Default false; the shipped appsettings.json turns it on for the demo.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// The bank (under <c>Deposits:Banks</c>) the mock bank is; its secret signs and checks. When no such bank is
    /// configured, one is added with a random secret made at start (nothing to commit, nothing to leak).
    /// </summary>
    public string BankCode { get; set; } = "mock";
}

/// <summary>
/// The mock bank's state: the instructions it was given, paid at most once per id. Tests can make it lose its next
/// answer (it pays, then answers too late) to prove a retried refund is not paid twice.
/// </summary>
public sealed class MockBank(IOptions<MockBankOptions> options, IOptions<DepositOptions> deposits, IHostEnvironment environment, TimeProvider time)
{
    public const string Path = "/mock-bank";

    private readonly ConcurrentDictionary<Guid, (BankInstructionMessage Instruction, string Reference)> _paid = new();
    private int _transfers;

    /// <summary>On when configured, never in Production: whoever may use it can make deposits appear.</summary>
    public bool Enabled => options.Value.Enabled && !environment.IsProduction();

    public string BankCode => options.Value.BankCode;

    /// <summary>Transfers the mock bank made (one per instruction id, however often it was sent).</summary>
    public int Transfers => _transfers;

    /// <summary>Makes the next POST pay and then answer only after this delay (longer than the platform waits).</summary>
    public TimeSpan? DelayNextAnswer { get; set; }

    public IReadOnlyCollection<BankInstructionMessage> Paid => [.. _paid.Values.Select(v => v.Instruction)];

    public byte[] Secret => Encoding.UTF8.GetBytes(deposits.Value.Banks.TryGetValue(BankCode, out var bank) ? bank.Secret : string.Empty);

    internal BankInstructionReply Pay(BankInstructionMessage instruction)
    {
        var entry = _paid.GetOrAdd(instruction.Id, _ =>
        {
            var number = Interlocked.Increment(ref _transfers);
            return (instruction, "MOCK" + time.GetUtcNow().ToString("yyyyMMdd", CultureInfo.InvariantCulture) + number.ToString("D6", CultureInfo.InvariantCulture));
        });
        return new BankInstructionReply(BankInstructionStatus.Paid, entry.Reference);
    }

    internal BankInstructionReply Query(Guid id) =>
        _paid.TryGetValue(id, out var entry)
            ? new BankInstructionReply(BankInstructionStatus.Paid, entry.Reference)
            : new BankInstructionReply(BankInstructionStatus.Unknown);

    /// <summary>Posts a signed deposit callback to the platform at <paramref name="platform"/>, as the bank does.</summary>
    public Task<HttpResponseMessage> SendDepositAsync(HttpClient platform, BankDeposit deposit, CancellationToken cancellationToken) =>
        PostSignedAsync(platform, BankCallbackBody.Deposit(deposit), cancellationToken);

    /// <summary>
    /// Posts the signed callback that an instruction the file adapter handed over was paid: with the file adapter the
    /// platform learns of a refund's payment only this way, so the demo bank page sends it for accepted instructions.
    /// </summary>
    public Task<HttpResponseMessage> SendInstructionPaidAsync(HttpClient platform, Guid instructionId, CancellationToken cancellationToken) =>
        PostSignedAsync(platform, BankCallbackBody.InstructionOutcome(instructionId, true, "MOCK-" + instructionId.ToString("N")[..10]), cancellationToken);

    private async Task<HttpResponseMessage> PostSignedAsync(HttpClient platform, byte[] body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(platform);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        var signature = BankCallbackSignature.Sign(Secret, timestamp, body);
        using var request = new HttpRequestMessage(HttpMethod.Post, DepositEndpoints.CallbackPath(BankCode)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(DepositEndpoints.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(DepositEndpoints.SignatureHeader, signature);
        return await platform.SendAsync(request, cancellationToken);
    }
}

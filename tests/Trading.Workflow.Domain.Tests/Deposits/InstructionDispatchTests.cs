using Trading.Workflow.Domain.Deposits;

namespace Trading.Workflow.Domain.Tests.Deposits;

public sealed class InstructionDispatchTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 2, 0, 0, TimeSpan.Zero);
    private readonly DepositClock _time = new(Now);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "deposit-instructions-" + Guid.NewGuid().ToString("N"));
    private readonly byte[] _secret = "a-bank-secret-of-at-least-32-characters"u8.ToArray();

    /// <summary>A bank that pays each id once and can be told to lose its answer (the platform sees a time-out).</summary>
    private sealed class FlakyBank : IBankAdapter
    {
        public readonly Dictionary<Guid, int> Payments = [];
        public int Sends;
        public bool LoseNextAnswer;
        public bool Unreachable;

        public string Name => "test";

        public Task<BankInstructionReply> SendAsync(BankInstructionMessage instruction, CancellationToken cancellationToken)
        {
            if (Unreachable)
            {
                throw new HttpRequestException("connection refused");
            }

            Sends++;
            Payments[instruction.Id] = Payments.GetValueOrDefault(instruction.Id) + 1;
            if (LoseNextAnswer)
            {
                LoseNextAnswer = false;
                throw new TimeoutException("no answer in 20 s");
            }

            return Task.FromResult(new BankInstructionReply(BankInstructionStatus.Paid, "T" + instruction.Id.ToString("N")[..6]));
        }

        public Task<BankInstructionReply> QueryAsync(Guid instructionId, CancellationToken cancellationToken) =>
            Unreachable
                ? throw new HttpRequestException("connection refused")
                : Task.FromResult(Payments.ContainsKey(instructionId)
                    ? new BankInstructionReply(BankInstructionStatus.Paid, "T" + instructionId.ToString("N")[..6])
                    : new BankInstructionReply(BankInstructionStatus.Unknown));
    }

    private static BankInstruction Refund()
    {
        var ledger = new SectionDepositLedger(Guid.NewGuid(), 1_000m);
        var bidder = Guid.NewGuid();
        ledger.Receive("B-1", 1_000m, "6222000011112222", bidder, "6222000011112222", Now);
        return BankInstruction.ForRefund(ledger.SectionId, ledger.RequestRefund(bidder, "6222000011112222", InterestPolicy.None, new DateOnly(2026, 12, 2)),
            "某建设公司", "工商银行", Now, "staff");
    }

    private int _saves;

    private Task Save(CancellationToken cancellationToken)
    {
        _saves++;
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Dispatch_RetriedAfterTheAnswerWasLost_AsksTheBankAndDoesNotSendAgain()
    {
        var bank = new FlakyBank { LoseNextAnswer = true };
        var instruction = Refund();

        var first = await InstructionDispatcher.DispatchAsync(instruction, bank, _time, Save, CancellationToken.None);
        var retry = await InstructionDispatcher.DispatchAsync(instruction, bank, _time, Save, CancellationToken.None);

        Assert.Null(first);
        Assert.Equal(BankInstructionStatus.Paid, retry?.Status);
        Assert.Equal(1, bank.Sends);
        Assert.Equal(1, bank.Payments[instruction.Id]);
        Assert.Equal(1, instruction.Attempts);
    }

    [Fact]
    public async Task Dispatch_WhenTheBankIsUnreachable_KeepsTheInstructionDecidedWithTheError()
    {
        var bank = new FlakyBank { Unreachable = true };
        var instruction = Refund();

        var reply = await InstructionDispatcher.DispatchAsync(instruction, bank, _time, Save, CancellationToken.None);

        Assert.Null(reply);
        Assert.Equal(InstructionState.Decided, instruction.State);
        Assert.Equal("connection refused", instruction.LastError);
        Assert.Equal(1, _saves);
    }

    [Fact]
    public async Task Dispatch_CountsTheAttemptBeforeCallingTheBank()
    {
        var bank = new FlakyBank();
        var instruction = Refund();
        var attemptsWhenSaved = -1;

        await InstructionDispatcher.DispatchAsync(instruction, bank, _time, _ =>
        {
            attemptsWhenSaved = instruction.Attempts;
            return Task.CompletedTask;
        }, CancellationToken.None);

        Assert.Equal(1, attemptsWhenSaved);
        Assert.Equal(1, bank.Sends);
    }

    [Fact]
    public async Task FileAdapter_WritesOneSignedFileAndNeverRewritesIt()
    {
        var adapter = new FileBankAdapter(_folder, _secret, _time);
        var instruction = Refund().ToMessage();

        var first = await adapter.SendAsync(instruction, CancellationToken.None);
        var path = Path.Combine(_folder, instruction.Id.ToString("N") + ".json");
        var written = await File.ReadAllBytesAsync(path);
        _time.Advance(TimeSpan.FromMinutes(1));
        var again = await adapter.SendAsync(instruction with { Principal = 9_999m }, CancellationToken.None);

        Assert.Equal(BankInstructionStatus.Accepted, first.Status);
        Assert.Equal(BankInstructionStatus.Accepted, again.Status);
        Assert.Equal(written, await File.ReadAllBytesAsync(path));
        Assert.Equal(instruction, BankInstructionJson.Deserialize(written));
        Assert.True(FileBankAdapter.VerifyFile(path, _secret, _time.GetUtcNow(), TimeSpan.FromMinutes(5)));
        Assert.Equal(BankInstructionStatus.Accepted, (await adapter.QueryAsync(instruction.Id, CancellationToken.None)).Status);
        Assert.Equal(BankInstructionStatus.Unknown, (await adapter.QueryAsync(Guid.NewGuid(), CancellationToken.None)).Status);
    }

    [Fact]
    public async Task FileAdapter_AnEditedInstructionFile_FailsItsSignature()
    {
        var adapter = new FileBankAdapter(_folder, _secret, _time);
        var instruction = Refund().ToMessage();
        await adapter.SendAsync(instruction, CancellationToken.None);
        var path = Path.Combine(_folder, instruction.Id.ToString("N") + ".json");

        var text = await File.ReadAllTextAsync(path);
        await File.WriteAllTextAsync(path, text.Replace("6222000011112222", "6217000099998888", StringComparison.Ordinal));

        Assert.False(FileBankAdapter.VerifyFile(path, _secret, _time.GetUtcNow(), TimeSpan.FromMinutes(5)));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}

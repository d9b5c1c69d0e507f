using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Web.Hosting;

namespace Trading.Workflow.Web.Deposits;

/// <summary>
/// The refund timer: every <see cref="DepositOptions.RefundTimerInterval"/> it carries out the scheduled refunds that
/// have come due (<see cref="DepositService.RunDueRefundsAsync"/>). The rows are in the database, so a failed round,
/// a restart or a second node loses nothing: the next tick takes what is still open.
/// </summary>
/// <remarks>
/// The first round runs one interval after start, and the deposit service (with the bank adapter it sends through) is
/// resolved then, not while the host starts: an adapter may call the app itself (the mock bank).
/// </remarks>
public sealed class RefundTimerWorker(
    IServiceProvider services,
    IOptions<DepositOptions> options,
    TimeProvider time,
    ILogger<RefundTimerWorker> logger) : PeriodicWorker(time, logger)
{
    private const int Batch = 100;

    protected override TimeSpan Interval => options.Value.RefundTimerInterval;

    protected override string RoundName => "refund timer";

    protected override async Task RunRoundAsync(CancellationToken cancellationToken)
    {
        var deposits = services.GetRequiredService<DepositService>();
        while (await deposits.RunDueRefundsAsync(Batch, cancellationToken) == Batch)
        {
        }
    }
}

using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Deposits;

namespace Trading.Workflow.Web.Deposits;

/// <summary>
/// The refund timer: every <see cref="DepositOptions.RefundTimerInterval"/> it carries out the scheduled refunds that
/// have come due (<see cref="DepositService.RunDueRefundsAsync"/>). The rows are in the database, so a failed round,
/// a restart or a second node loses nothing: the next tick takes what is still open.
/// </summary>
public sealed partial class RefundTimerWorker(
    DepositService deposits,
    IOptions<DepositOptions> options,
    TimeProvider time,
    ILogger<RefundTimerWorker> logger) : BackgroundService
{
    private const int Batch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RefundTimerInterval, time);
        do
        {
            try
            {
                while (await deposits.RunDueRefundsAsync(Batch, stoppingToken) == Batch)
                {
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogRoundFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A refund timer round failed; it is tried again at the next tick")]
    private partial void LogRoundFailed(Exception exception);
}

using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Deposits;

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
public sealed partial class RefundTimerWorker(
    IServiceProvider services,
    IOptions<DepositOptions> options,
    TimeProvider time,
    ILogger<RefundTimerWorker> logger) : BackgroundService
{
    private const int Batch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RefundTimerInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                var deposits = services.GetRequiredService<DepositService>();
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
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A refund timer round failed; it is tried again at the next tick")]
    private partial void LogRoundFailed(Exception exception);
}

using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Notifications;

namespace Trading.Workflow.Web.Notifications;

/// <summary>
/// Runs the notification dispatcher over the trail, the sweep over the engine's task history (what the post-commit
/// path lost) and sends due channel deliveries, every
/// <see cref="NotificationOptions.PollInterval"/>. A failing round is logged and tried again in the next one: the
/// cursor and the delivery states are in the database, so nothing is lost.
/// </summary>
public sealed partial class NotificationWorker(
    TrailNotificationDispatcher dispatcher,
    TaskNotifications tasks,
    NotificationDeliverySender sender,
    IOptions<NotificationOptions> options,
    TimeProvider time,
    ILogger<NotificationWorker> logger) : BackgroundService
{
    private const int Batch = 200;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval, time);
        do
        {
            try
            {
                while (await dispatcher.DispatchAsync(Batch, stoppingToken) == Batch)
                {
                }

                while (await tasks.SweepAsync(options.Value.TaskSweepSettle, Batch, stoppingToken) == Batch)
                {
                }

                while (await sender.SendDueAsync(Batch, stoppingToken) == Batch)
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "A notification round failed; it is tried again at the next tick")]
    private partial void LogRoundFailed(Exception exception);
}

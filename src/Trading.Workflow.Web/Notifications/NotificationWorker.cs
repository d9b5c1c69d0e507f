using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Notifications;
using Trading.Workflow.Web.Hosting;

namespace Trading.Workflow.Web.Notifications;

/// <summary>
/// Runs the notification dispatcher over the trail, the sweep over the engine's task history (what the post-commit
/// path lost) and sends due channel deliveries, every
/// <see cref="NotificationOptions.PollInterval"/>. A failing round is logged and tried again in the next one: the
/// cursor and the delivery states are in the database, so nothing is lost.
/// </summary>
public sealed class NotificationWorker(
    TrailNotificationDispatcher dispatcher,
    TaskNotifications tasks,
    NotificationDeliverySender sender,
    IOptions<NotificationOptions> options,
    TimeProvider time,
    ILogger<NotificationWorker> logger) : PeriodicWorker(time, logger)
{
    private const int Batch = 200;

    protected override TimeSpan Interval => options.Value.PollInterval;

    protected override string RoundName => "notification";

    protected override bool RunsAtStart => true;

    protected override async Task RunRoundAsync(CancellationToken cancellationToken)
    {
        while (await dispatcher.DispatchAsync(Batch, cancellationToken) == Batch)
        {
        }

        while (await tasks.SweepAsync(options.Value.TaskSweepSettle, Batch, cancellationToken) == Batch)
        {
        }

        while (await sender.SendDueAsync(Batch, cancellationToken) == Batch)
        {
        }
    }
}

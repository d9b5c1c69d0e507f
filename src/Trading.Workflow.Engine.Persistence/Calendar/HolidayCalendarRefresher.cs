using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Trading.Workflow.Engine.Calendar;

namespace Trading.Workflow.Engine.Persistence.Calendar;

/// <summary>
/// Reads the stored holiday calendar again every <see cref="WorkflowPersistenceOptions.CalendarRefreshInterval"/>:
/// a node serves the calendar from memory, so without this an administrator's save on another node would reach this
/// node's deadlines only at its next restart. Does nothing when the host has no working-day calendar.
/// </summary>
internal sealed partial class HolidayCalendarRefresher(
    IServiceProvider services, IOptions<WorkflowPersistenceOptions> options, TimeProvider time, ILogger<HolidayCalendarRefresher> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (services.GetService<ReloadableBusinessCalendar>() is not { } calendar)
        {
            return;
        }

        // The first read waits a period too: at start the schema may still be upgrading, and the first use loads it.
        using var timer = new PeriodicTimer(options.Value.CalendarRefreshInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    if (await calendar.ReloadAsync(stoppingToken).ConfigureAwait(false))
                    {
                        Reloaded(logger);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The database may be away for a while; the node keeps serving what it has and tries again.
                    ReloadFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The holiday calendar changed in the database; this node now serves the stored data.")]
    private static partial void Reloaded(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the stored holiday calendar failed; this node keeps serving the calendar it has.")]
    private static partial void ReloadFailed(ILogger logger, Exception exception);
}

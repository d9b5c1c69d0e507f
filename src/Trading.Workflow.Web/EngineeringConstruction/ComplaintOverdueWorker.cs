using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Web.Hosting;

namespace Trading.Workflow.Web.EngineeringConstruction;

/// <summary>
/// Tells the supervisors of a complaint left past its 条例 61 acceptance or decision time, once per step
/// (<see cref="ComplaintService.AnnounceOverdueAsync"/>). Complaints ride no procedure timer; their due times are rows,
/// so a failed round, a restart or a second node loses or repeats nothing.
/// </summary>
public sealed partial class ComplaintOverdueWorker(IServiceScopeFactory scopes, TimeProvider time, ILogger<ComplaintOverdueWorker> logger)
    : PeriodicWorker(time, logger)
{
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(5);

    protected override TimeSpan Interval => Every;

    protected override string RoundName => "complaint overdue";

    protected override async Task RunRoundAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var announced = await scope.ServiceProvider.GetRequiredService<ComplaintService>().AnnounceOverdueAsync(cancellationToken);
        if (announced > 0)
        {
            LogAnnounced(announced);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Announced {Count} overdue complaint step(s) to the supervisors")]
    private partial void LogAnnounced(int count);
}

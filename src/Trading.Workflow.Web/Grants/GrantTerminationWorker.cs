using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Web.Hosting;

namespace Trading.Workflow.Web.Grants;

/// <summary>
/// Finishes terminations (终止) a stopped process left half done: every <see cref="Every"/> it completes the open
/// requests recorded at least <see cref="Settle"/> ago (<see cref="GrantService.ResumeTerminationsAsync"/>), so a lot
/// called off before a restart still gets its 终止公告, refunds and ended procedure. The requests are rows, so a failed
/// round, a restart or a second node loses nothing.
/// </summary>
/// <remarks>
/// The first round runs one interval after start, as the refund timer's: the host (and the engine) are up by then. The
/// settle time leaves a user's own termination, still under way, to that user.
/// </remarks>
public sealed partial class GrantTerminationWorker(IServiceScopeFactory scopes, TimeProvider time, ILogger<GrantTerminationWorker> logger)
    : PeriodicWorker(time, logger)
{
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan Settle = TimeSpan.FromMinutes(1);

    protected override TimeSpan Interval => Every;

    protected override string RoundName => "grant termination";

    protected override async Task RunRoundAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var completed = await scope.ServiceProvider.GetRequiredService<GrantService>().ResumeTerminationsAsync(Settle, cancellationToken);
        if (completed > 0)
        {
            LogResumed(completed);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Completed {Count} grant termination(s) left open by an earlier stop")]
    private partial void LogResumed(int count);
}

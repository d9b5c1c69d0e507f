using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Engine.Quartz.Demo;

public sealed record FastForwardResult(Guid InstanceId, int TimersFired, string By, DateTimeOffset At, string Reason);

/// <summary>Demo mode only: an administrator fires an instance's pending timers now instead of waiting for them.</summary>
public interface ITimerFastForward
{
    /// <summary>Whether demo mode is on (<c>Demo:Enabled</c>).</summary>
    bool IsAvailable { get; }

    /// <summary>
    /// Fires every timer the instance has now, earliest first, through the engine; the action is logged with who,
    /// when and why. Throws <see cref="DemoModeRequiredException"/> outside demo mode.
    /// </summary>
    ValueTask<FastForwardResult> FastForwardAsync(Guid instanceId, string userId, string reason, CancellationToken cancellationToken = default);
}

public sealed class DemoModeRequiredException()
    : WorkflowException("demo_mode_required", "仅在演示模式下可以快进定时器", "Timers can only be fast-forwarded in demo mode.");

public sealed partial class TimerFastForward(IWorkflowEngine engine, IOptions<DemoOptions> demo, TimeProvider time, ILogger<TimerFastForward> logger)
    : ITimerFastForward
{
    public bool IsAvailable => demo.Value.Enabled;

    public async ValueTask<FastForwardResult> FastForwardAsync(Guid instanceId, string userId, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var at = time.GetUtcNow();
        if (!IsAvailable)
        {
            LogRefused(instanceId, userId, at, reason);
            throw new DemoModeRequiredException();
        }

        _ = await engine.GetInstanceAsync(instanceId, cancellationToken) ?? throw new WorkflowNotFoundException("instance", instanceId.ToString());
        var timers = await engine.GetTimersAsync(instanceId, cancellationToken);
        var fired = 0;
        foreach (var timer in timers.OrderBy(t => t.Due))
        {
            try
            {
                await engine.FireTimerAsync(timer.Id, cancellationToken);
                fired++;
            }
            catch (Exception e) when (e is WorkflowNotFoundException or WorkflowConflictException)
            {
                // An earlier firing withdrew it (a boundary timer whose activity ended).
            }
        }

        LogFastForwarded(instanceId, userId, at, reason, fired);
        return new FastForwardResult(instanceId, fired, userId, at, reason);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo fast-forward of instance {InstanceId} by {UserId} at {At} ({Reason}): {TimersFired} timers fired")]
    private partial void LogFastForwarded(Guid instanceId, string userId, DateTimeOffset at, string reason, int timersFired);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused fast-forward of instance {InstanceId} by {UserId} at {At} ({Reason}): demo mode is off")]
    private partial void LogRefused(Guid instanceId, string userId, DateTimeOffset at, string reason);
}

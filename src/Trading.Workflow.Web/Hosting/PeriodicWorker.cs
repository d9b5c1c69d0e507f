namespace Trading.Workflow.Web.Hosting;

/// <summary>
/// A background round every <see cref="Interval"/>: the refund timer, the invitation timer, the bidding timer, the
/// notification and termination sweeps. Their work is rows in the database, so a failed round is logged and the next
/// tick takes what is still open; stopping the host ends the loop without a warning.
/// </summary>
public abstract partial class PeriodicWorker(TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>Time between rounds.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>What the warning of a failed round calls the round ("refund timer", ...).</summary>
    protected abstract string RoundName { get; }

    /// <summary>
    /// True to run the first round at start; false (the default) runs it one interval after, when the host and what
    /// a round may call (the app itself, for the mock bank) are up.
    /// </summary>
    protected virtual bool RunsAtStart => false;

    /// <summary>One round.</summary>
    protected abstract Task RunRoundAsync(CancellationToken cancellationToken);

    /// <summary>Once before the first round; a failure is logged and the rounds still run.</summary>
    protected virtual Task BeforeFirstRoundAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await GuardAsync(BeforeFirstRoundAsync, stoppingToken).ConfigureAwait(false))
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval, time);
        if (RunsAtStart && !await GuardAsync(RunRoundAsync, stoppingToken).ConfigureAwait(false))
        {
            return;
        }

        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (!await GuardAsync(RunRoundAsync, stoppingToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    // False when the host is stopping; any other failure is logged and the loop goes on.
    private async Task<bool> GuardAsync(Func<CancellationToken, Task> step, CancellationToken stoppingToken)
    {
        try
        {
            await step(stoppingToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception ex)
        {
            LogRoundFailed(logger, ex, RoundName);
            return true;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Round} round failed; it is tried again at the next tick")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception, string round);
}

using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Trades;

namespace Trading.Workflow.Domain.Openings;

/// <summary>
/// Demo only (<see cref="IDemoTimerDate"/>): a timer on <c>${decryptionWindowEnds}</c> (<see cref="OpeningVariables.WindowEnds"/>,
/// set by <c>openingStart</c>) fired early ends the instance's decryption windows now; otherwise <c>openingClose</c> would
/// refuse to cut a window with bids still pending short, and fail.
/// </summary>
public sealed class OpeningDemoTimerDate(IServiceProvider services) : IDemoTimerDate
{
    public Task<bool> MoveToNowAsync(DemoTimer timer, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timer);
        // Resolved here: the opening needs the file stores, which a host without documents lacks.
        return timer.DateVariable == OpeningVariables.WindowEnds
            ? services.GetRequiredService<OpeningService>().EndWindowsForDemoAsync(timer.InstanceId, actor, cancellationToken)
            : Task.FromResult(false);
    }
}

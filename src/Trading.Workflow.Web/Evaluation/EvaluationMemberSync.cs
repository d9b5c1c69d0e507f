using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Evaluation;

namespace Trading.Workflow.Web.Evaluation;

/// <summary>
/// Brings confirmed replacements into their evaluation (条例 48): a replaced member's seat stays empty until the
/// experts part's redraw is confirmed, which may come minutes later; every <see cref="EvaluationOptions.SyncInterval"/>
/// the evaluations with an empty seat are synchronised (<see cref="EvaluationService.SyncMembersAsync"/>: the
/// replacement joins and receives the replaced member's open task).
/// </summary>
internal sealed partial class EvaluationMemberSync(EvaluationService evaluations, IOptions<EvaluationOptions> options, ILogger<EvaluationMemberSync> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SyncInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                foreach (var id in await evaluations.AwaitingReplacementsAsync(stoppingToken))
                {
                    await evaluations.SyncMembersAsync(id, stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Evaluation member sync failed; it runs again at the next interval.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

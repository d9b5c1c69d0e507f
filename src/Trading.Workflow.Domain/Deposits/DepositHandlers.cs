using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Engine.Handlers;

namespace Trading.Workflow.Domain.Deposits;

/// <summary>The process variables the deposits' service tasks read and set.</summary>
public static class DepositVariables
{
    /// <summary>In (optional): when the contract was signed (ISO 8601 or a date-time); without it the moment the task runs.</summary>
    public const string ContractSignedAt = "contractSignedAt";

    /// <summary>In (optional): the contract's id, recorded as the source of each scheduled refund.</summary>
    public const string ContractId = "contractId";

    /// <summary>Out: how many refunds were scheduled.</summary>
    public const string RefundsScheduled = "depositRefundsScheduled";

    /// <summary>Out: their legal due time (ISO 8601, UTC), e.g. for a timer or a boundary event.</summary>
    public const string RefundsDueAt = "depositRefundsDueAt";
}

/// <summary>
/// <c>deposits.scheduleContractRefunds</c>, right after the contract step: schedules, in the engine's command
/// transaction, the refund with interest of every deposit still held in the project's sections (business key = project
/// code), due within 5 日 (条例 57). The refund timer pays them through the bank adapter; the procedure does not wait.
/// </summary>
public sealed class ScheduleContractRefundsHandler(ITradingDatabase database) : IServiceTaskHandler
{
    public const string HandlerName = "deposits.scheduleContractRefunds";

    public string Name => HandlerName;

    public string Description => "保证金：合同签订后 5 日内自动退还全部投标保证金及利息 / Schedule every bid deposit's refund with interest within 5 days of the contract";

    public async ValueTask ExecuteAsync(ServiceTaskContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var db = database.For(context);
        var projectId = (await ProjectLookup.RequireByBusinessKeyAsync(db, context.BusinessKey, DepositRules.SectionUnknown, context.CancellationToken)).Id;
        var now = context.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var signedAt = (context.TryGetVariable(DepositVariables.ContractSignedAt, out var at) ? at : null) switch
        {
            DateTimeOffset value => value,
            DateTime value => new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)),
            string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) => parsed,
            _ => now,
        };
        Guid? contractId = (context.TryGetVariable(DepositVariables.ContractId, out var id) ? id : null) switch
        {
            Guid value => value,
            string text when Guid.TryParse(text, out var parsed) => parsed,
            _ => null,
        };
        var refunds = context.Services.GetRequiredService<ContractRefunds>();
        var scheduled = await refunds.ScheduleAsync(db, projectId, signedAt, contractId, "system:procedure", context.CancellationToken);
        context.SetVariable(DepositVariables.RefundsScheduled, scheduled.Count);
        context.SetVariable(DepositVariables.RefundsDueAt, refunds.DueAfter(signedAt).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Evaluation;
using Trading.Workflow.Domain.Experts;

namespace Trading.Workflow.Domain.EngineeringConstruction;

public static class EngineeringConstructionServiceCollectionExtensions
{
    /// <summary>
    /// The engineering-construction trade slice (工程建设项目招标投标): its schema module, the tender limits
    /// (<see cref="TenderLimits.SectionName"/>, statutory by default, only stricter values accepted), the tender service,
    /// the service tasks of <c>workflows/engineering-construction/engineering-tender.bpmn</c>, the document access rule
    /// and the notification rules.
    /// </summary>
    public static IServiceCollection AddEngineeringConstruction(this IServiceCollection services)
    {
        services.AddTradingSchemaModule("engineering-construction", "Trading.Workflow.Domain.EngineeringConstruction.Schema");
        services.AddOptions<TenderLimits>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TenderLimits>, TenderLimitsValidator>());
        services.TryAddSingleton<TenderService>();
        services.TryAddSingleton<TenderDemoSchedule>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Trades.IDemoTimerDate, EngineeringDemoTimerDates>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDocumentAccessRule, TenderDocumentAccess>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Projects.IProcedureHold, TenderDocumentsHold>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Archive.IArchiveReaders, TenderArchiveReaders>());
        services.AddServiceTaskHandler<TenderPrepareHandler>();
        services.AddServiceTaskHandler<TenderConfirmScheduleHandler>();
        services.AddServiceTaskHandler<TenderStartPrequalificationHandler>();
        services.AddServiceTaskHandler<TenderPrequalificationResultHandler>();
        services.AddServiceTaskHandler<TenderOpenSaleHandler>();
        services.AddServiceTaskHandler<TenderCloseSaleHandler>();
        services.AddServiceTaskHandler<TenderDeadlineStateHandler>();
        services.AddServiceTaskHandler<TenderObjectionTimesHandler>();
        services.AddServiceTaskHandler<TenderObjectionRemindDueHandler>();
        services.AddServiceTaskHandler<TenderObjectionReminderHandler>();
        services.AddServiceTaskHandler<TenderObjectionOverdueHandler>();
        services.AddServiceTaskHandler<TenderOpeningHeldHandler>();
        services.AddServiceTaskHandler<TenderAtDeadlineHandler>();
        services.AddServiceTaskHandler<TenderRetenderHandler>();
        services.AddServiceTaskHandler<TenderOpenedHandler>();
        services.AddTenderNotificationRules();
        services.AddEngineeringAward();
        // The procedure names the shared expert draw's and evaluation's service tasks.
        services.AddExperts();
        services.AddEvaluation();
        return services;
    }
}

/// <summary>A centre may make the statutory limits stricter, never looser.</summary>
public sealed class TenderLimitsValidator : IValidateOptions<TenderLimits>
{
    public ValidateOptionsResult Validate(string? name, TenderLimits options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var law = TenderLimits.Statutory;
        var failures = new List<string>();
        void AtLeast(string key, int value, int minimum)
        {
            if (value < minimum)
            {
                failures.Add($"{TenderLimits.SectionName}:{key} = {value} is below the statutory {minimum}.");
            }
        }

        AtLeast(nameof(TenderLimits.SalePeriodDays), options.SalePeriodDays, law.SalePeriodDays);
        AtLeast(nameof(TenderLimits.BidPreparationDays), options.BidPreparationDays, law.BidPreparationDays);
        AtLeast(nameof(TenderLimits.ClarificationDays), options.ClarificationDays, law.ClarificationDays);
        AtLeast(nameof(TenderLimits.ObjectionDaysBeforeDeadline), options.ObjectionDaysBeforeDeadline, law.ObjectionDaysBeforeDeadline);
        AtLeast(nameof(TenderLimits.PrequalificationApplicationDays), options.PrequalificationApplicationDays, law.PrequalificationApplicationDays);
        AtLeast(nameof(TenderLimits.MinimumBidders), options.MinimumBidders, law.MinimumBidders);
        AtLeast(nameof(TenderLimits.OpeningNoticeDays), options.OpeningNoticeDays, law.OpeningNoticeDays);
        if (options.ObjectionAnswerDays is < 1 or > 3)
        {
            failures.Add($"{TenderLimits.SectionName}:ObjectionAnswerDays = {options.ObjectionAnswerDays} must be 1 to 3 (条例 22).");
        }

        if (options.DepositCapRate is <= 0 or > 0.02m)
        {
            failures.Add($"{TenderLimits.SectionName}:DepositCapRate = {options.DepositCapRate} must be above 0 and at most 0.02 (条例 26).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

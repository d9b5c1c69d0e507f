using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Trading.Workflow.Domain.Credit;

public static class CreditServiceCollectionExtensions
{
    /// <summary>
    /// Credit (信用), shared by every trade type: the schema (module "credit", table tr_credit_records),
    /// <see cref="CreditService"/> and the notification rules telling the subject. The participation and bidding
    /// checks and the expert draw read the bars through <see cref="CreditService.ActiveBarAsync"/>.
    /// </summary>
    public static IServiceCollection AddCredit(this IServiceCollection services)
    {
        services.AddTradingSchemaModule("credit", "Trading.Workflow.Domain.Credit.Schema");
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CreditService>();
        services.AddCreditNotificationRules();
        return services;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trades;

namespace Trading.Workflow.Domain.Grants;

public static class GrantsServiceCollectionExtensions
{
    /// <summary>
    /// The shared grant path of land and mineral rights, added once whichever slice asks first: schema module "grants", the
    /// limits (<see cref="GrantOptions.SectionName"/>), the service and the service tasks the grant procedures name.
    /// </summary>
    public static IServiceCollection AddGrants(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(GrantService)))
        {
            return services;
        }

        services.AddTradingSchemaModule("grants", "Trading.Workflow.Domain.Grants.Schema");
        services.AddOptions<GrantOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GrantOptions>, GrantOptionsValidator>());
        services.TryAddScoped<GrantService>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<Bidding.ILotClosedHandler, GrantLotClosedHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Bidding.ILotOpeningGate, GrantLotOpeningGate>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Deposits.IDepositRefundGuard, GrantDepositRefundGuard>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Documents.IDocumentAccessRule, GrantDocumentAccess>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Archive.IArchiveRecords, GrantArchiveRecords>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Archive.IArchiveReaders, GrantArchiveReaders>());
        services.AddServiceTaskHandler<GrantPrepareHandler>();
        services.AddServiceTaskHandler<GrantReturnHandler>();
        services.AddServiceTaskHandler<GrantWithdrawHandler>();
        services.AddServiceTaskHandler<GrantTerminateHandler>();
        services.AddServiceTaskHandler<GrantPublishNoticeHandler>();
        services.AddServiceTaskHandler<GrantLotStateHandler>();
        services.AddServiceTaskHandler<GrantRecordOutcomeHandler>();
        services.AddServiceTaskHandler<GrantResultOverdueHandler>();
        services.AddServiceTaskHandler<GrantPublishResultHandler>();
        services.AddServiceTaskHandler<GrantConfirmationSignedHandler>();
        services.AddGrantNotificationRules();
        return services;
    }

    /// <summary>A slice's procedure for each of its grant modes (configuration under Trading:Projects:Procedures still wins).</summary>
    public static IServiceCollection AddGrantProcedure(this IServiceCollection services, string tradeType, string processId)
    {
        services.PostConfigure<ProjectProcedureOptions>(o =>
        {
            foreach (var method in new[] { TradeMethods.Listing, TradeMethods.Auction, TradeMethods.Tender })
            {
                o.Procedures.TryAdd(ProjectProcedureOptions.Key(tradeType, method), processId);
            }
        });
        return services;
    }
}

public sealed class GrantOptionsValidator : IValidateOptions<GrantOptions>
{
    public ValidateOptionsResult Validate(string? name, GrantOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = options.Validate().ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Trading.Workflow.Domain.Experts;

public static class ExpertsServiceCollectionExtensions
{
    /// <summary>
    /// The shared expert pool and draw (module "experts"): its schema, <see cref="ExpertsOptions"/> (validated at start),
    /// the pool and committee services, the CSPRNG, <see cref="IEvaluationCommittees"/>, the service task
    /// <c>expertsCommitteeState</c> and the notification rules. The host binds the options and runs the invitation timer.
    /// </summary>
    public static IServiceCollection AddExperts(this IServiceCollection services)
    {
        // Once: the engineering slice and the web part both add it, and handlers and schema modules must not repeat.
        if (services.Any(d => d.ServiceType == typeof(CommitteeService)))
        {
            return services;
        }

        services.AddTradingSchemaModule("experts", "Trading.Workflow.Domain.Experts.Schema");
        services.AddOptions<ExpertsOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ExpertsOptions>, ExpertsOptionsValidator>());
        services.TryAddSingleton<IDrawRandom, CryptoDrawRandom>();
        services.TryAddSingleton<ExpertPoolService>();
        services.TryAddSingleton<CommitteeService>();
        services.TryAddSingleton<ExpertNameSeals>();
        services.TryAddSingleton<IEvaluationCommittees>(sp => sp.GetRequiredService<CommitteeService>());
        services.AddServiceTaskHandler<ExpertsCommitteeStateHandler>();
        services.AddExpertNotificationRules();
        return services;
    }
}

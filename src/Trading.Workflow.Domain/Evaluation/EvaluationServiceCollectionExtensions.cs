using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Openings;

namespace Trading.Workflow.Domain.Evaluation;

public static class EvaluationServiceCollectionExtensions
{
    /// <summary>
    /// The remote evaluation shared by every sealed-bid trade: options (section <c>Evaluation</c>, validated at start),
    /// the schema module "evaluation", the service, <see cref="IEvaluationResults"/>, the committee as readers of the
    /// opened bids, and the service tasks <c>evaluation.open</c>, <c>evaluation.aggregate</c> and <c>evaluation.close</c>.
    /// The committee comes from <see cref="Experts.IEvaluationCommittees"/> (the experts part), whose draw waits for the
    /// method (<see cref="Experts.IEvaluationMethodCheck"/>).
    /// </summary>
    public static IServiceCollection AddEvaluation(this IServiceCollection services)
    {
        // Once: the engineering slice and the web part both add it, and handlers and schema modules must not repeat.
        if (services.Any(d => d.ServiceType == typeof(EvaluationService)))
        {
            return services;
        }

        services.AddOptions<EvaluationOptions>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<EvaluationOptions>, EvaluationOptionsValidation>();
        services.AddTradingSchemaModule("evaluation", "Trading.Workflow.Domain.Evaluation.Schema");
        services.TryAddSingleton<EvaluationService>();
        services.TryAddSingleton<IEvaluationResults, EvaluationResults>();
        services.TryAddSingleton<Experts.IEvaluationMethodCheck, EvaluationMethodCheck>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IBidReaders, EvaluationBidReaders>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Archive.IArchiveRecords, EvaluationArchiveRecords>());
        services.AddServiceTaskHandler<EvaluationOpenHandler>();
        services.AddServiceTaskHandler<EvaluationAggregateHandler>();
        services.AddServiceTaskHandler<EvaluationCloseHandler>();
        return services;
    }

    private sealed class EvaluationOptionsValidation : IValidateOptions<EvaluationOptions>
    {
        public ValidateOptionsResult Validate(string? name, EvaluationOptions options)
        {
            var failures = options.Problems().ToList();
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}

using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Deposits;

public static class DepositsServiceCollectionExtensions
{
    /// <summary>
    /// Deposits: options (validated at start), the schema module, the service and queries, and the bank adapter the
    /// options choose (signed files by default; <c>http</c> for a bank's instruction API such as the mock bank).
    /// The host binds the options to its configuration and resolves <see cref="DepositOptions.InstructionFolder"/>
    /// against its data folder. Submitting a project configures its sections' deposits (<see cref="ProjectSectionDepositSetup"/>).
    /// </summary>
    public static IServiceCollection AddDeposits(this IServiceCollection services)
    {
        services.AddOptions<DepositOptions>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<DepositOptions>, DepositOptionsValidation>();
        services.AddTradingSchemaModule("deposits", "Trading.Workflow.Domain.Deposits.Schema");
        services.TryAddSingleton<IBankAdapter>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<DepositOptions>>().Value;
            var secret = Encoding.UTF8.GetBytes(options.Banks.TryGetValue(options.InstructionBank, out var bank) ? bank.Secret : string.Empty);
            var time = provider.GetRequiredService<TimeProvider>();
            if (options.Adapter == "http")
            {
                // One client for the app's lifetime; connections are recycled so a changed bank address is followed.
                var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
                {
                    BaseAddress = new Uri(options.BankBaseUrl!.EndsWith('/') ? options.BankBaseUrl : options.BankBaseUrl + "/"),
                    Timeout = options.BankTimeout,
                };
                return new HttpBankAdapter(http, secret, time);
            }

            return new FileBankAdapter(options.InstructionFolder, secret, time);
        });
        services.TryAddSingleton<IBasicAccountLookup, MarketBasicAccountLookup>();
        services.AddSingleton<DepositService>();
        services.AddSingleton<DepositQueries>();
        services.TryAddSingleton<ContractRefunds>();
        services.TryAddSingleton<DepositForfeitures>();
        services.TryAddSingleton<DepositSettlements>();
        services.AddServiceTaskHandler<ScheduleContractRefundsHandler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Projects.ISectionDepositSetup, ProjectSectionDepositSetup>());
        return services;
    }

    private sealed class DepositOptionsValidation : IValidateOptions<DepositOptions>
    {
        public ValidateOptionsResult Validate(string? name, DepositOptions options)
        {
            var failures = options.Validate().ToList();
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}

using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Web.Configuration;

namespace Trading.Workflow.Web.Deposits;

public static class DepositsWebExtensions
{
    /// <summary>
    /// The host's part of the deposits: binds <c>Deposits</c> (and <c>Deposits:MockBank</c>) from configuration, puts
    /// the instruction folder under the data folder, and registers the mock bank (idle unless enabled).
    /// </summary>
    public static IServiceCollection AddDepositsWeb(this IServiceCollection services)
    {
        services.AddOptions<DepositOptions>()
            .BindConfiguration(DepositOptions.SectionName)
            .PostConfigure<IOptions<StorageOptions>>((deposits, storage) =>
                deposits.InstructionFolder = Path.Combine(storage.Value.ResolveDataFolder(), deposits.InstructionFolder));
        services.AddOptions<MockBankOptions>().BindConfiguration(MockBankOptions.SectionName);
        services.AddSingleton<MockBank>();
        services.AddScoped<DepositAccess>();
        return services;
    }
}

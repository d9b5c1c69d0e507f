using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Web.Configuration;
using Trading.Workflow.Web.Kernel;

namespace Trading.Workflow.Web.Deposits;

public static class DepositsWebExtensions
{
    /// <summary>
    /// The host's part of the deposits: binds <c>Deposits</c> (and <c>Deposits:MockBank</c>) from configuration, puts
    /// the instruction folder under the data folder, registers the mock bank (idle unless enabled) and runs the refund
    /// timer (<see cref="RefundTimerWorker"/>).
    /// </summary>
    public static IServiceCollection AddDepositsWeb(this IServiceCollection services)
    {
        services.AddOptions<MockBankOptions>().BindConfiguration(MockBankOptions.SectionName);
        var mockSecret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        services.AddOptions<DepositOptions>()
            .BindConfiguration(DepositOptions.SectionName)
            .PostConfigure<IOptions<StorageOptions>, IOptions<MockBankOptions>, IHostEnvironment>((deposits, storage, mock, environment) =>
            {
                deposits.InstructionFolder = Path.Combine(storage.Value.ResolveDataFolder(), deposits.InstructionFolder);
                if (mock.Value.Enabled && !environment.IsProduction() && !deposits.Banks.ContainsKey(mock.Value.BankCode))
                {
                    deposits.Banks[mock.Value.BankCode] = new BankOptions { Name = "模拟银行（演示数据）", Secret = mockSecret };
                }

                if (string.IsNullOrEmpty(deposits.InstructionBank) && deposits.Banks.Count > 0)
                {
                    deposits.InstructionBank = deposits.Banks.ContainsKey(mock.Value.BankCode) && deposits.Banks.Count == 1
                        ? mock.Value.BankCode
                        : deposits.Banks.Keys.Order(StringComparer.Ordinal).First();
                }
            });
        services.AddSingleton<MockBank>();
        services.AddSingleton(new MockBankHttp());
        services.AddScoped<DepositAccess>();
        services.AddHostedService<RefundTimerWorker>();
        services.AddDemoDataStep<DepositsDemoData>();
        return services;
    }
}

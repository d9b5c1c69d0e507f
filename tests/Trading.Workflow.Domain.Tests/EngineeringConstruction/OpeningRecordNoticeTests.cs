using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Notifications;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Domain.Tests.Deposits;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.EngineeringConstruction;

/// <summary>
/// The opening record published on the portal: deposit states and prices as the console shows them, while the signed
/// record keeps the codes and the letters' prices it has always signed (records signed before still verify).
/// </summary>
public sealed class OpeningRecordNoticeTests
{
    [Fact]
    public async Task OpeningRecordNotice_ShowsLocalizedDepositStatesAndFormattedPrices_TheSignedRecordKeepsItsCodes()
    {
        var accounts = new EngineeringTenderFullProcedureTests.Accounts();
        await using var host = await TenderHost.StartAsync(DatabaseProvider.Sqlite, services =>
        {
            services.AddSingleton<IUserDirectory>(accounts);
            services.AddSingleton<INotificationRecipientDirectory>(accounts);
            services.AddSingleton<IPlatformDirectory>(accounts);
            services.Replace(ServiceDescriptor.Singleton<IBankAdapter>(new DepositPersistenceTests.Bank_()));
            services.Configure<DepositOptions>(o => o.Banks[EngineeringTenderFullProcedureTests.BankCode] =
                new BankOptions { Name = "工商银行", Secret = EngineeringTenderFullProcedureTests.BankSecret });
        }, realOpening: true);
        accounts.Add("tenderee", PlatformRoles.Tenderee);
        for (var i = 1; i <= 3; i++)
        {
            accounts.Add("bidder" + i, PlatformRoles.Bidder);
        }

        // Two of the three bidders pay the deposit the section asks.
        var (_, _, section) = await EngineeringTenderFullProcedureTests.OpenAsync(host, paying: 2);

        var openings = host.Services.GetRequiredService<OpeningService>();
        var record = (await openings.GetAsync((await openings.ForSectionAsync(section))!.Id))!.Record!;
        Assert.True(record.Verify());
        var expected = new[] { ("4650000.00", "4,650,000.00", "Paid", "已缴纳 / Paid"), ("4720000.00", "4,720,000.00", "Paid", "已缴纳 / Paid"), ("4810000.00", "4,810,000.00", "AwaitingPayment", "未缴纳 / Not paid") };
        var notice = (await host.Services.GetRequiredService<NoticeService>().GetAsync(record.NoticeId!.Value))!;
        for (var i = 0; i < 3; i++)
        {
            var (signedPrice, shownPrice, signedDeposit, shownDeposit) = expected[i];
            var entry = Assert.Single(record.Content.Entries, e => e.EntityId == host.Bidders[i].Id);
            Assert.Equal((signedPrice, signedDeposit), (entry.Price, entry.Deposit));
            Assert.Contains($"<td>{entry.Bidder}</td><td>{shownPrice}</td><td>365</td><td>合格</td><td>{shownDeposit}</td>", notice.BodyHtml, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("AwaitingPayment", notice.BodyHtml, StringComparison.Ordinal);
        Assert.Contains(record.Signature, notice.BodyHtml, StringComparison.Ordinal);
    }
}

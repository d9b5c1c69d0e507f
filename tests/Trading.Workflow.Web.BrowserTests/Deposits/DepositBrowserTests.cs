using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Deposits;
using Trading.Workflow.Web.Projects;
using static Microsoft.Playwright.Assertions;

namespace Trading.Workflow.Web.BrowserTests.Deposits;

/// <summary>
/// A deposit arrives from the mock bank and shows as paid to the bidder and to staff of the section's centre; one
/// paid from another account than the bidder's basic account is flagged. Real Chromium, the real app and database.
/// </summary>
public sealed class DepositBrowserTests : IClassFixture<BrowserApp>
{
    private readonly BrowserApp _app;

    public DepositBrowserTests(BrowserApp app)
    {
        _app = app;
        SetDefaultExpectTimeout(15_000);
    }

    private T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    private async Task<string> UserIdAsync(string userName)
    {
        using var scope = _app.Services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByNameAsync(userName))!.Id;
    }

    [Fact]
    public async Task Deposit_FromTheMockBank_ShowsPaidToBidderAndStaff_AndOneFromAnotherAccountIsFlagged()
    {
        // The demo companies of bidder and bidder2 (verified demo data) take part in the demo project's first section,
        // whose deposit was configured when the demo project was submitted.
        var section = await DepositsDemoData.DemoSectionAsync(Service<ITradingDatabase>(), CancellationToken.None);
        Assert.NotNull(section);
        Assert.Equal(ProjectsDemoData.DemoProjectName, section.ProjectName);
        var amount = section.Amount.ToString("0.##", CultureInfo.InvariantCulture);
        var lookup = Service<IBasicAccountLookup>();
        var deposits = Service<DepositService>();
        var company = Assert.Single(await lookup.EntitiesOfUserAsync(await UserIdAsync("bidder"), CancellationToken.None));
        var other = Assert.Single(await lookup.EntitiesOfUserAsync(await UserIdAsync("bidder2"), CancellationToken.None));
        var basicAccount = (await lookup.FindAsync(company.EntityId, CancellationToken.None))!.AccountNumber;
        var account = await deposits.OpenAccountAsync(section.SectionId, company.EntityId, company.Name, "bidder", CancellationToken.None);
        var otherAccount = await deposits.OpenAccountAsync(section.SectionId, other.EntityId, other.Name, "bidder2", CancellationToken.None);

        // The bidder sees its sub-account, nothing paid yet.
        var bidder = await _app.SignInAsync("bidder");
        await bidder.GotoAsync("/deposits");
        var subAccount = bidder.Locator("[data-testid=sub-account]");
        await Expect(subAccount).ToHaveCountAsync(1);
        var number = (await subAccount.TextContentAsync())!.Replace(" ", string.Empty, StringComparison.Ordinal);
        Assert.Equal(account.Number, number);
        await Expect(bidder.Locator("[data-testid=deposit-state]")).ToHaveAttributeAsync("data-state", "AwaitingPayment");

        // The mock bank reports its transfer from the basic account, through the signed callback.
        await bidder.GotoAsync("/demo/bank");
        await bidder.WaitForCircuitAsync();
        await bidder.FillAsync("input[data-testid=mock-reference], [data-testid=mock-reference] input", number);
        await bidder.FillAsync("input[data-testid=mock-amount], [data-testid=mock-amount] input", amount);
        await bidder.FillAsync("input[data-testid=mock-payer-name], [data-testid=mock-payer-name] input", company.Name);
        await bidder.FillAsync("input[data-testid=mock-payer-account], [data-testid=mock-payer-account] input", basicAccount);
        await bidder.ClickAsync("[data-testid=mock-send]");
        await Expect(bidder.Locator("[data-testid=mock-result]")).ToContainTextAsync("200");

        await bidder.GotoAsync("/deposits");
        await Expect(bidder.Locator("[data-testid=deposit-state]")).ToHaveAttributeAsync("data-state", "Paid");
        await Expect(bidder.Locator("[data-testid=deposit-state]")).ToContainTextAsync("已缴纳");
        await Expect(bidder.Locator("[data-testid=deposit-flagged]")).ToHaveCountAsync(0);

        // On a phone the row is a card of labelled lines: beside the long project name each label stays on one line
        // (it was squeezed to one character a line, "项" over "目").
        await bidder.SetViewportSizeAsync(390, 900);
        await Expect(bidder.Locator("[data-testid=sub-account]")).ToBeVisibleAsync();
        var labels = await bidder.Locator("[data-testid=my-deposits] td.mud-table-cell").EvaluateAllAsync<double[][]>(
            "cells => cells.map(td => { const s = getComputedStyle(td, '::before'); return [parseFloat(s.height) || 0, parseFloat(s.lineHeight) || 0]; })");
        Assert.NotEmpty(labels);
        Assert.All(labels, l => Assert.True(l[0] < 1.5 * l[1], $"a card label {l[0]} px high on a {l[1]} px line"));

        // The other company's deposit comes from an account that is not its basic account.
        var bank = Service<MockBank>();
        using (var http = new HttpClient { BaseAddress = new Uri(_app.BaseUrl) })
        using (var response = await bank.SendDepositAsync(http,
                   new BankDeposit("MOCK-BT-2", section.Amount, "某个人", "6217 0000 9999 8888", "某银行", otherAccount.Number, DateTimeOffset.UtcNow), CancellationToken.None))
        {
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        // Staff of the demo centre see both paid, the second flagged.
        var staff = await _app.SignInAsync("staff");
        await staff.GotoAsync($"/deposits/sections/{section.SectionId}");
        var rows = staff.Locator("[data-testid=participants] tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        var first = rows.Filter(new() { HasText = company.Name });
        var second = rows.Filter(new() { HasText = other.Name });
        await Expect(first.Locator("[data-testid=deposit-state]")).ToHaveAttributeAsync("data-state", "Paid");
        await Expect(first.Locator("[data-testid=deposit-flagged]")).ToHaveCountAsync(0);
        await Expect(second.Locator("[data-testid=deposit-state]")).ToHaveAttributeAsync("data-state", "Paid");
        await Expect(second.Locator("[data-testid=deposit-flagged]")).ToHaveCountAsync(1);
        await Expect(staff.Locator("[data-testid=ledger-balance]")).ToContainTextAsync("台账平衡");

        // Supervisors find the flagged payment in their list.
        var supervisor = await _app.SignInAsync("supervisor");
        await supervisor.GotoAsync("/supervision/deposits");
        await Expect(supervisor.Locator("[data-testid=flagged-payments]")).ToContainTextAsync("MOCK-BT-2");
        await Expect(supervisor.Locator("[data-testid=flagged-payments]")).Not.ToContainTextAsync(number);
    }
}

using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Web.Tests.Exports;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Web.Deposits;
using Trading.Workflow.Web.Exports;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Deposits;

/// <summary>
/// The deposit ledger's spreadsheet (<c>GET /deposits/sections/{id}/ledger.xlsx</c>) on the real app with its demo data:
/// what the section's page shows, in the user's language, typed so it can be summed; only for who may see the page;
/// each export on the trail.
/// </summary>
public sealed class DepositLedgerExportTests : IAsyncLifetime
{
    private readonly PlatformFactory _factory = new(new Dictionary<string, string?> { ["Deposits:MockBank:Enabled"] = "true" });
    private DepositSection _section = default!;

    public async Task InitializeAsync()
    {
        _ = _factory.Server;
        _section = await DepositsDemoData.DemoSectionAsync(_factory.Services.GetRequiredService<ITradingDatabase>(), CancellationToken.None)
            ?? throw new InvalidOperationException("The demo data has no deposit section.");
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private Task<HttpClient> SignedInAsync(string user, string? culture = null) => ExportTestClient.SignedInAsync(_factory, user, culture);

    private static List<IDictionary<string, object>> Rows(byte[] workbook, string sheet) => ExportTestClient.Rows(workbook, sheet);

    private static List<string> SheetNames(byte[] workbook) => ExportTestClient.SheetNames(workbook);

    [Fact]
    public async Task Staff_GetTheSectionsLedger_AsThePageShowsIt_TypedAndRecordedOnTheTrail()
    {
        var account = await WithDbAsync(db => db.Set<DepositAccount>().AsNoTracking().FirstAsync(a => a.SectionId == _section.SectionId));
        var basic = await _factory.Services.GetRequiredService<IBasicAccountLookup>().FindAsync(account.EntityId, CancellationToken.None)
            ?? throw new InvalidOperationException("The demo bidder has no basic account.");
        var mock = _factory.Services.GetRequiredService<MockBank>();
        var receivedAt = new DateTimeOffset(2026, 12, 7, 1, 30, 0, TimeSpan.Zero);
        var bank = _factory.CreateClient();
        var paid = await mock.SendDepositAsync(bank, new BankDeposit("EXPORT-TX-1", 12_345.6m, basic.AccountName, basic.AccountNumber, basic.Bank, account.Number, receivedAt), CancellationToken.None);
        Assert.True(paid.IsSuccessStatusCode, await paid.Content.ReadAsStringAsync());
        var staff = await SignedInAsync("staff");

        var response = await staff.GetAsync(DepositLedgerExport.Path(_section.SectionId));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Spreadsheet.ContentType, response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith($"保证金台账-{_section.SectionCode}-", response.Content.Headers.ContentDisposition?.FileNameStar);
        var workbook = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(["汇总", "投标人保证金", "到账记录", "退还与没收指令"], SheetNames(workbook));

        var participants = Rows(workbook, "投标人保证金");
        Assert.Equal(["市场主体", "虚拟子账号", "应缴金额（元）", "已缴金额（元）", "状态", "电子保函"], participants[0].Values.Select(v => v?.ToString()));
        var bidder = Assert.Single(participants, r => (string?)r["A"] == account.EntityName);
        Assert.Equal(account.Number, bidder["B"]);
        Assert.Equal((double)_section.Amount, Assert.IsType<double>(bidder["C"]));
        Assert.Equal(12_345.6, Assert.IsType<double>(bidder["D"]), 6);
        Assert.Equal("部分到账", bidder["E"]);

        var payments = Rows(workbook, "到账记录");
        var payment = Assert.Single(payments.Skip(1));
        Assert.Equal("EXPORT-TX-1", payment["B"]);
        Assert.Equal(12_345.6, Assert.IsType<double>(payment["C"]), 6);
        // Times are Excel dates in China Standard Time, as the page shows them.
        Assert.Equal(new DateTime(2026, 12, 7, 9, 30, 0), Assert.IsType<DateTime>(payment["A"]));

        var summary = Rows(workbook, "汇总").ToDictionary(r => (string)r["A"], r => r["B"]);
        Assert.Equal(12_345.6, Assert.IsType<double>(summary["累计到账（元）"]), 6);
        Assert.Equal("台账平衡", summary["台账核对"]);
        Assert.Equal("staff", summary["导出人"]);
        // An empty list still names its columns.
        Assert.Equal("类型", Assert.Single(Rows(workbook, "退还与没收指令"))["A"]);

        var exported = await WithDbAsync(db => db.Set<AuditEntry>().AsNoTracking()
            .Where(e => e.Action == "deposits.ledger.exported" && e.SubjectId == _section.SectionId.ToString()).ToListAsync());
        Assert.Equal("staff", Assert.Single(exported).Actor);
    }

    [Fact]
    public async Task InEnglish_TheSheetsAndHeadersAreEnglish()
    {
        var supervisor = await SignedInAsync("supervisor", "en");

        var response = await supervisor.GetAsync(DepositLedgerExport.Path(_section.SectionId));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith($"deposit-ledger-{_section.SectionCode}-", response.Content.Headers.ContentDisposition?.FileNameStar);
        var workbook = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(["Summary", "Bidders' deposits", "Payments", "Instructions"], SheetNames(workbook));
        Assert.Equal("Entity", Rows(workbook, "Bidders' deposits")[0]["A"]);
    }

    [Theory]
    [InlineData("bidder", HttpStatusCode.Forbidden)]
    [InlineData("tenderee", HttpStatusCode.Forbidden)]
    [InlineData("expert", HttpStatusCode.Forbidden)]
    // Staff of the county centre below: another centre's section is not found, as on the page.
    [InlineData("staff2", HttpStatusCode.NotFound)]
    public async Task WhoMayNotSeeTheSection_GetsNoLedger_AndNothingIsRecorded(string user, HttpStatusCode expected)
    {
        var client = await SignedInAsync(user);

        var response = await client.GetAsync(DepositLedgerExport.Path(_section.SectionId));

        if (expected == HttpStatusCode.Forbidden)
        {
            ExportTestClient.AssertAccessDenied(response);
        }
        else
        {
            Assert.Equal(expected, response.StatusCode);
            Assert.NotEqual(Spreadsheet.ContentType, response.Content.Headers.ContentType?.MediaType);
        }
        Assert.False(await WithDbAsync(db => db.Set<AuditEntry>().AnyAsync(e => e.Action == "deposits.ledger.exported")));
    }

    [Fact]
    public async Task Anonymous_IsSentToSignIn()
    {
        var response = await _factory.CreateNoRedirectClient().GetAsync(DepositLedgerExport.Path(_section.SectionId));

        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized, response.StatusCode.ToString());
        Assert.NotEqual(Spreadsheet.ContentType, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnUnknownSection_IsNotFound()
    {
        var staff = await SignedInAsync("staff");

        var response = await staff.GetAsync(DepositLedgerExport.Path(Guid.NewGuid()));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<T> WithDbAsync<T>(Func<TradingDbContext, Task<T>> read)
    {
        await using var db = _factory.Services.GetRequiredService<ITradingDatabase>().Create();
        return await read(db);
    }
}

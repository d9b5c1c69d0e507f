using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Web.Deposits;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Deposits;

/// <summary>The bank callback endpoint over HTTP, and refunds through the http adapter to the mock bank.</summary>
public sealed class BankCallbackApiTests : IAsyncLifetime
{
    private const string Secret = "icbc-test-secret-of-at-least-32-characters";
    private readonly TestEntities _entities = new();
    private PlatformFactory _factory = default!;
    private HttpClient _client = default!;

    public Task InitializeAsync()
    {
        PlatformFactory? self = null;
        _factory = new PlatformFactory(
            new Dictionary<string, string?>
            {
                ["Deposits:Banks:icbc:Name"] = "工商银行",
                ["Deposits:Banks:icbc:Secret"] = Secret,
                ["Deposits:MockBank:Enabled"] = "true",
                ["DemoData:Enabled"] = "false",
            },
            services =>
            {
                services.Replace(ServiceDescriptor.Singleton<IBasicAccountLookup>(_entities));
                // Refunds go over HTTP to the mock bank served by this very app, with a short time-out.
                services.Replace(ServiceDescriptor.Singleton<IBankAdapter>(provider =>
                {
                    var mock = provider.GetRequiredService<MockBank>();
                    // The adapter may be built while the host starts (a handler needs it), before the test server
                    // exists: asking for the server then would start a second host inside the first, so the test
                    // server's handler is taken at the first request.
                    var http = new HttpClient(new DeferredHandler(() => self!.Server.CreateHandler()))
                    {
                        BaseAddress = new Uri("http://localhost" + MockBank.Path + "/"),
                        Timeout = TimeSpan.FromSeconds(1),
                    };
                    return new HttpBankAdapter(http, mock.Secret, TimeProvider.System);
                }));
            });
        self = _factory;
        _client = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    private T Service<T>() where T : notnull => _factory.Services.GetRequiredService<T>();

    private async Task<(DepositSection Section, Guid Bidder, DepositAccount Account)> ArrangeAsync()
    {
        var deposits = Service<DepositService>();
        var section = await deposits.ConfigureSectionAsync(DepositTestData.Terms(Guid.NewGuid()), "staff", CancellationToken.None);
        var bidder = _entities.Add("演示建设集团有限公司", "6222000011112222");
        var account = await deposits.OpenAccountAsync(section.SectionId, bidder, "演示建设集团有限公司", "bidder", CancellationToken.None);
        return (section, bidder, account);
    }

    private static byte[] Body(string transaction, decimal amount, string reference, string payer = "6222000011112222") =>
        BankCallbackBody.Deposit(new BankDeposit(transaction, amount, "演示建设集团有限公司", payer, "中国工商银行", reference, DateTimeOffset.UtcNow));

    private Task<HttpResponseMessage> PostAsync(byte[] body, string? timestamp, string? signature, string bank = "icbc")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, DepositEndpoints.CallbackPath(bank)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (timestamp is not null)
        {
            request.Headers.Add(DepositEndpoints.TimestampHeader, timestamp);
        }

        if (signature is not null)
        {
            request.Headers.Add(DepositEndpoints.SignatureHeader, signature);
        }

        return _client.SendAsync(request);
    }

    private static (string Timestamp, string Signature) Sign(byte[] body, DateTimeOffset? at = null)
    {
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        return (timestamp.ToString(CultureInfo.InvariantCulture), BankCallbackSignature.Sign(Encoding.UTF8.GetBytes(Secret), timestamp, body));
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;

    [Fact]
    public async Task Callback_SignedByTheBank_IsRecordedOnceAndAnsweredIdempotently()
    {
        var (_, _, account) = await ArrangeAsync();
        var body = Body("ICBC-API-1", 20_000m, account.Number);
        var (timestamp, signature) = Sign(body);

        using var first = await PostAsync(body, timestamp, signature);
        var answer = await first.Content.ReadFromJsonAsync<CallbackAnswer>();
        var (laterTimestamp, laterSignature) = Sign(body, DateTimeOffset.UtcNow.AddSeconds(5));
        using var retried = await PostAsync(body, laterTimestamp, laterSignature);
        var retriedAnswer = await retried.Content.ReadFromJsonAsync<CallbackAnswer>();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("Matched", answer!.Match);
        Assert.False(answer.Flagged);
        Assert.False(answer.Duplicate);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.True(retriedAnswer!.Duplicate);
        Assert.Equal(answer.PaymentId, retriedAnswer.PaymentId);
    }

    [Fact]
    public async Task Callback_ReplayedForgedStaleOrUnsigned_IsRefusedWithAProblem()
    {
        var (_, _, account) = await ArrangeAsync();
        var body = Body("ICBC-API-2", 20_000m, account.Number);
        var (timestamp, signature) = Sign(body);
        using var accepted = await PostAsync(body, timestamp, signature);

        using var replayed = await PostAsync(body, timestamp, signature);
        using var forged = await PostAsync(Body("ICBC-API-2", 2_000_000m, account.Number), timestamp, signature);
        var staleBody = Body("ICBC-API-3", 20_000m, account.Number);
        var (staleTimestamp, staleSignature) = Sign(staleBody, DateTimeOffset.UtcNow.AddMinutes(-10));
        using var stale = await PostAsync(staleBody, staleTimestamp, staleSignature);
        using var unsigned = await PostAsync(body, null, null);
        using var unknownBank = await PostAsync(body, timestamp, signature, bank: "nobank");

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, replayed.StatusCode);
        Assert.Equal("application/problem+json", replayed.Content.Headers.ContentType?.MediaType);
        Assert.Equal("该签名请求已处理过（重放），已拒绝。", await DetailAsync(replayed));
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        Assert.Contains("时间戳", await DetailAsync(stale), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, unknownBank.StatusCode);
    }

    [Fact]
    public async Task Callback_SignedButNotADeposit_IsABadRequest()
    {
        var body = Encoding.UTF8.GetBytes("""{"type":"deposit","amount":"abc"}""");
        var (timestamp, signature) = Sign(body);

        using var response = await PostAsync(body, timestamp, signature);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Refund_ThroughTheMockBank_WhoseAnswerTimesOut_IsPaidOnceWhenRetried()
    {
        var (section, bidder, account) = await ArrangeAsync();
        var body = Body("ICBC-API-4", 20_000m, account.Number);
        var (timestamp, signature) = Sign(body);
        using (var paid = await PostAsync(body, timestamp, signature))
        {
            Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        }

        var mock = Service<MockBank>();
        mock.DelayNextAnswer = TimeSpan.FromSeconds(3);
        var deposits = Service<DepositService>();

        var first = await deposits.RefundAsync(section.SectionId, bidder, "staff", CancellationToken.None);
        var retried = await deposits.DispatchAsync(first.Id, CancellationToken.None);
        var again = await deposits.DispatchAsync(first.Id, CancellationToken.None);

        Assert.Equal(InstructionState.Decided, first.State);
        Assert.NotNull(first.LastError);
        Assert.Equal(InstructionState.Paid, retried.State);
        Assert.Equal(InstructionState.Paid, again.State);
        Assert.Equal(1, mock.Transfers);
        Assert.Equal(first.Id, Assert.Single(mock.Paid).Id);
        var view = await Service<DepositQueries>().SectionDepositsAsync(section.SectionId, CancellationToken.None);
        Assert.Equal(20_000m, view!.Totals.Refunded);
        Assert.True(view.Totals.Balanced);
    }
}

/// <summary>Sends through a handler made at the first request.</summary>
internal sealed class DeferredHandler(Func<HttpMessageHandler> create) : HttpMessageHandler
{
    private readonly Lazy<HttpMessageInvoker> _inner = new(() => new HttpMessageInvoker(create()));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _inner.Value.SendAsync(request, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing && _inner.IsValueCreated)
        {
            _inner.Value.Dispose();
        }

        base.Dispose(disposing);
    }
}

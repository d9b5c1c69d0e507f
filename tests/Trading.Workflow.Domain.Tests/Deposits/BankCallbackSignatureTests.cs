using System.Text;
using Trading.Workflow.Domain.Deposits;

namespace Trading.Workflow.Domain.Tests.Deposits;

public sealed class BankCallbackSignatureTests
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("demo-bank-secret-0001");
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"txn":"B20261202-0001","amount":"100000.00"}""");
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 1, 0, 0, TimeSpan.Zero);

    private static string Timestamp(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Verify_ASignatureMadeWithTheSecret_IsValid()
    {
        var signature = BankCallbackSignature.Sign(Secret, Now.ToUnixTimeSeconds(), Body);

        Assert.Equal(BankCallbackCheck.Valid, BankCallbackSignature.Verify(Secret, Timestamp(Now), signature, Body, Now.AddSeconds(20)));
    }

    [Fact]
    public void Verify_AChangedAmount_IsRefused()
    {
        var signature = BankCallbackSignature.Sign(Secret, Now.ToUnixTimeSeconds(), Body);
        var tampered = Encoding.UTF8.GetBytes("""{"txn":"B20261202-0001","amount":"900000.00"}""");

        Assert.Equal(BankCallbackCheck.BadSignature, BankCallbackSignature.Verify(Secret, Timestamp(Now), signature, tampered, Now));
    }

    [Fact]
    public void Verify_AnotherBanksSecret_IsRefused()
    {
        var signature = BankCallbackSignature.Sign(Encoding.UTF8.GetBytes("other-bank"), Now.ToUnixTimeSeconds(), Body);

        Assert.Equal(BankCallbackCheck.BadSignature, BankCallbackSignature.Verify(Secret, Timestamp(Now), signature, Body, Now));
    }

    [Fact]
    public void Verify_AnOldCapturedRequest_IsOutsideTheWindow()
    {
        var sent = Now.AddMinutes(-6);
        var signature = BankCallbackSignature.Sign(Secret, sent.ToUnixTimeSeconds(), Body);

        Assert.Equal(BankCallbackCheck.OutsideWindow, BankCallbackSignature.Verify(Secret, Timestamp(sent), signature, Body, Now));
    }

    [Fact]
    public void Verify_TheTimestampMovedToLookFresh_BreaksTheSignature()
    {
        var sent = Now.AddMinutes(-6);
        var signature = BankCallbackSignature.Sign(Secret, sent.ToUnixTimeSeconds(), Body);

        Assert.Equal(BankCallbackCheck.BadSignature, BankCallbackSignature.Verify(Secret, Timestamp(Now), signature, Body, Now));
    }

    [Theory]
    [InlineData(null, "ab", BankCallbackCheck.Missing)]
    [InlineData("1796173200", null, BankCallbackCheck.Missing)]
    [InlineData("-5", "00", BankCallbackCheck.Malformed)]
    [InlineData("1796173200", "zz", BankCallbackCheck.Malformed)]
    [InlineData("1796173200", "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", BankCallbackCheck.Malformed)]
    public void Verify_MissingOrMalformedHeaders_AreRefused(string? timestamp, string? signature, BankCallbackCheck expected)
    {
        Assert.Equal(expected, BankCallbackSignature.Verify(Secret, timestamp, signature, Body, Now));
    }
}

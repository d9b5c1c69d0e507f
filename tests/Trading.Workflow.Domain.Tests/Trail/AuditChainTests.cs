using System.Text;
using Trading.Workflow.Domain.Trail;

namespace Trading.Workflow.Domain.Tests.Trail;

public sealed class AuditChainTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 9, 0, 0, TimeSpan.FromHours(8));

    private static List<AuditEntry> Chain(int length)
    {
        var entries = new List<AuditEntry>();
        for (var i = 0; i < length; i++)
        {
            entries.Add(AuditChain.Append(entries.LastOrDefault(), Start.AddMinutes(i), $"user{i % 3}", null,
                "Project", "GC-2026-0001", i % 2 == 0 ? "Download" : "Verify", $$"""{"n":{{i}}}"""));
        }

        return entries;
    }

    [Fact]
    public void Sm3_MatchesTheStandardsFirstExample()
    {
        // GB/T 32905-2016, example 1: SM3("abc").
        var hash = Sm3.Hash(Encoding.ASCII.GetBytes("abc"));

        Assert.Equal("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0", Convert.ToHexStringLower(hash));
    }

    [Fact]
    public void Verify_AnUntouchedChain_IsIntact()
    {
        var result = AuditChain.Verify(Chain(50));

        Assert.True(result.IsIntact);
        Assert.Equal(50, result.CheckedCount);
    }

    [Fact]
    public void Verify_AnEditedActor_ReportsThatRecordAsChanged()
    {
        var chain = Chain(10);
        chain[6] = chain[6] with { Actor = "someone-else" };

        var result = AuditChain.Verify(chain);

        Assert.False(result.IsIntact);
        Assert.Equal(7, result.FirstBrokenSequence);
        Assert.Equal(ChainBreak.ContentChanged, result.Break);
    }

    [Fact]
    public void Verify_ARecordRewrittenWithAFreshHash_BreaksTheNextLink()
    {
        var chain = Chain(10);
        var forged = chain[3] with { Data = """{"n":999}""" };
        chain[3] = forged with { Hash = AuditChain.Compute(forged) };

        var result = AuditChain.Verify(chain);

        Assert.Equal(5, result.FirstBrokenSequence);
        Assert.Equal(ChainBreak.PreviousHashMismatch, result.Break);
    }

    [Fact]
    public void Verify_ADeletedRecord_ReportsTheGap()
    {
        var chain = Chain(10);
        chain.RemoveAt(4);

        var result = AuditChain.Verify(chain);

        Assert.Equal(5, result.FirstBrokenSequence);
        Assert.Equal(ChainBreak.SequenceGap, result.Break);
    }

    [Fact]
    public void Append_FieldsThatConcatenateAlike_HashDifferently()
    {
        var a = AuditChain.Append(null, Start, "ab", null, "c", "1", "x", "{}");
        var b = AuditChain.Append(null, Start, "a", null, "bc", "1", "x", "{}");

        Assert.NotEqual(Convert.ToHexString(a.Hash), Convert.ToHexString(b.Hash));
    }
}

using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Store;

namespace Trading.Workflow.Engine.Persistence.Tests.Store;

/// <summary>
/// The chain hash is stored in every history row, so its bytes may never change: <see cref="HistoryChain.Compute"/>
/// must give exactly what the first implementation (kept below, stream by stream) gave, for every kind of field.
/// </summary>
public sealed class HistoryChainHashTests
{
    public static TheoryData<string> Cases => ["plain", "nulls", "empties", "unicode", "lone surrogate", "long", "no task"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compute_GivesTheFirstImplementationsHash(string name)
    {
        var row = Row(name);

        Assert.Equal(Reference(row), HistoryChain.Compute(row));
    }

    [Fact]
    public void Compute_OfAKnownRow_IsPinned()
    {
        Assert.Equal("1e8700848cf9c9de3903a18fc45065d3b30fe8eb57d6efc75730609a73c0a1e5", HistoryChain.Compute(Row("plain")));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compute_WithAKey_IsTheHmacOfTheSameBytes(string name)
    {
        var secret = Enumerable.Range(7, 32).Select(i => (byte)i).ToArray();
        var row = Row(name);

        var keyed = HistoryChain.Compute(row, new HistoryChainKey("k", secret));

        Assert.Equal(Reference(row, secret), keyed);
        Assert.NotEqual(Reference(row), keyed);
        Assert.NotEqual(keyed, HistoryChain.Compute(row, new HistoryChainKey("k", secret.Select(b => (byte)(b ^ 1)).ToArray())));
    }

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(100)]
    public void Compute_WithKeysOfAnyLength_IsRfc2104Hmac(int keyBytes)
    {
        var secret = Enumerable.Range(0, keyBytes).Select(i => (byte)(i * 7)).ToArray();
        var row = Row("long");

        Assert.Equal(Reference(row, secret), HistoryChain.Compute(row, new HistoryChainKey("k", secret)));
    }

    private static HistoryEntity Row(string name)
    {
        var row = new HistoryEntity
        {
            InstanceId = Guid.Parse("0193a6f2-7c1e-7d2a-9b1c-2f4e5a6b7c8d"),
            Type = 7,
            Timestamp = new DateTimeOffset(2026, 12, 4, 3, 40, 12, 345, TimeSpan.FromHours(8)).AddTicks(6789),
            ProcessId = "approval",
            BusinessKey = "BK-1",
            ElementId = "review",
            ElementType = "userTask",
            ElementName = "Review",
            ExecutionId = 3,
            TaskId = Guid.Parse("0193a6f2-7c1e-7d2a-9b1c-aaaaaaaaaaaa"),
            UserId = "alice",
            VariableName = "amount",
            OldValue = "150",
            NewValue = "50",
            Details = "{\"note\":\"x\"}",
            ChainPosition = 12,
            PreviousHash = new string('a', 64),
        };
        switch (name)
        {
            case "nulls":
                row.ProcessId = row.BusinessKey = row.ElementId = row.ElementType = row.ElementName = null;
                row.UserId = row.VariableName = row.OldValue = row.NewValue = row.Details = row.PreviousHash = null;
                row.ExecutionId = null;
                row.ChainPosition = null;
                break;
            case "empties":
                row.ProcessId = row.BusinessKey = row.ElementId = row.ElementType = row.ElementName = string.Empty;
                row.UserId = row.VariableName = row.OldValue = row.NewValue = row.Details = row.PreviousHash = string.Empty;
                break;
            case "unicode":
                row.ElementName = "审批 🚀 façade";
                row.UserId = "张三";
                break;
            case "lone surrogate":
                row.Details = "a\ud800b";
                break;
            case "long":
                row.NewValue = new string('长', 3000);
                break;
            case "no task":
                row.TaskId = null;
                break;
        }

        return row;
    }

    private static string Reference(HistoryEntity row, byte[]? key = null)
    {
        using var buffer = new MemoryStream(512);
        WriteString(buffer, row.PreviousHash);
        WriteInt64(buffer, row.ChainPosition ?? 0);
        WriteString(buffer, row.InstanceId.ToString("D"));
        WriteInt64(buffer, row.Type);
        WriteInt64(buffer, row.Timestamp.UtcTicks / 10);
        WriteString(buffer, row.ProcessId);
        WriteString(buffer, row.BusinessKey);
        WriteString(buffer, row.ElementId);
        WriteString(buffer, row.ElementType);
        WriteString(buffer, row.ElementName);
        WriteInt64(buffer, row.ExecutionId ?? -1);
        WriteString(buffer, row.TaskId?.ToString("D"));
        WriteString(buffer, row.UserId);
        WriteString(buffer, row.VariableName);
        WriteString(buffer, row.OldValue);
        WriteString(buffer, row.NewValue);
        WriteString(buffer, row.Details);
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        return Convert.ToHexStringLower(key is null ? SHA256.HashData(bytes) : HMACSHA256.HashData(key, bytes));
    }

    private static void WriteInt64(Stream stream, long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        stream.Write(bytes);
    }

    private static void WriteString(Stream stream, string? value)
    {
        if (value is null)
        {
            WriteInt64(stream, -1);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        WriteInt64(stream, bytes.Length);
        stream.Write(bytes);
    }
}

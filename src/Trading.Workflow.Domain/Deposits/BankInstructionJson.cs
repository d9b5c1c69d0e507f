using System.Text.Json;
using System.Text.Json.Serialization;

namespace Trading.Workflow.Domain.Deposits;

/// <summary>The wire format of instructions and the bank's replies (camelCase JSON, enums as lower-case names).</summary>
public static class BankInstructionJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        WriteIndented = false,
    };

    public static byte[] Serialize(BankInstructionMessage instruction) => JsonSerializer.SerializeToUtf8Bytes(instruction, Options);

    public static BankInstructionMessage? Deserialize(ReadOnlySpan<byte> body) => JsonSerializer.Deserialize<BankInstructionMessage>(body, Options);

    public static BankInstructionReply? Reply(ReadOnlySpan<byte> body) => JsonSerializer.Deserialize<BankInstructionReply>(body, Options);
}

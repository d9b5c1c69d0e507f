using System.Globalization;
using System.Text;

namespace Trading.Workflow.Domain.Deposits;

/// <summary>
/// The shipped bank adapter: each instruction becomes a file <c>{id}.json</c> in the instruction folder with a
/// signature file <c>{id}.sig</c> (<c>t={unix seconds}</c> and <c>s={HMAC-SHA256 hex over "t.body"}</c>, the callback's
/// scheme, with the bank's secret), which the bank's file-exchange client picks up. A file is written once, atomically
/// (temporary name, then moved), and never rewritten, so sending the same id again does nothing. The bank reports the
/// transfer through the callback API.
/// </summary>
public sealed class FileBankAdapter(string folder, byte[] secret, TimeProvider time) : IBankAdapter
{
    public string Name => "file";

    public string Folder { get; } = Path.GetFullPath(folder);

    public async Task<BankInstructionReply> SendAsync(BankInstructionMessage instruction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        var path = PathOf(instruction.Id);
        if (File.Exists(path))
        {
            return new BankInstructionReply(BankInstructionStatus.Accepted);
        }

        Directory.CreateDirectory(Folder);
        var body = BankInstructionJson.Serialize(instruction);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        var signature = $"t={timestamp.ToString(CultureInfo.InvariantCulture)}\ns={BankCallbackSignature.Sign(secret, timestamp, body)}\n";
        // The signature goes first: a bank client that sees the .json file finds its .sig beside it.
        await WriteOnceAsync(Path.ChangeExtension(path, ".sig"), Encoding.ASCII.GetBytes(signature), cancellationToken);
        await WriteOnceAsync(path, body, cancellationToken);
        return new BankInstructionReply(BankInstructionStatus.Accepted);
    }

    public Task<BankInstructionReply> QueryAsync(Guid instructionId, CancellationToken cancellationToken) =>
        Task.FromResult(new BankInstructionReply(File.Exists(PathOf(instructionId)) ? BankInstructionStatus.Accepted : BankInstructionStatus.Unknown));

    /// <summary>Checks a written instruction file against its signature (what the bank's client does).</summary>
    public static bool VerifyFile(string jsonPath, byte[] secret, DateTimeOffset now, TimeSpan tolerance)
    {
        var lines = File.ReadAllLines(Path.ChangeExtension(jsonPath, ".sig"));
        var timestamp = lines.FirstOrDefault(l => l.StartsWith("t=", StringComparison.Ordinal))?[2..];
        var signature = lines.FirstOrDefault(l => l.StartsWith("s=", StringComparison.Ordinal))?[2..];
        return BankCallbackSignature.Verify(secret, timestamp, signature, File.ReadAllBytes(jsonPath), now, tolerance) == BankCallbackCheck.Valid;
    }

    private string PathOf(Guid id) => Path.Combine(Folder, id.ToString("N") + ".json");

    private async Task WriteOnceAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        var temporary = Path.Combine(Folder, "." + Guid.NewGuid().ToString("N") + ".tmp");
        await File.WriteAllBytesAsync(temporary, content, cancellationToken);
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another attempt wrote it first: the first file stands.
            File.Delete(temporary);
        }
    }
}

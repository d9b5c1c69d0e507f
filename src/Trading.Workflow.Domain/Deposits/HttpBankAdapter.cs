using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Trading.Workflow.Domain.Deposits;

/// <summary>
/// A bank adapter over HTTP: <c>POST instructions</c> with the instruction as JSON, its id in <c>Idempotency-Key</c>
/// and the body signed like the callbacks (<c>X-Bank-Timestamp</c>, <c>X-Bank-Signature</c>); <c>GET instructions/{id}</c>
/// answers what the bank knows of it (404: nothing). A time-out is thrown as <see cref="TimeoutException"/>.
/// The tests and the demo run it against the mock bank.
/// </summary>
public sealed class HttpBankAdapter(HttpClient http, byte[] secret, TimeProvider time) : IBankAdapter
{
    public const string TimestampHeader = "X-Bank-Timestamp";
    public const string SignatureHeader = "X-Bank-Signature";
    public const string IdempotencyHeader = "Idempotency-Key";

    public string Name => "http";

    public async Task<BankInstructionReply> SendAsync(BankInstructionMessage instruction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        var body = BankInstructionJson.Serialize(instruction);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, "instructions") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(IdempotencyHeader, instruction.Id.ToString("N"));
        request.Headers.Add(TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(SignatureHeader, BankCallbackSignature.Sign(secret, timestamp, body));
        return await ExchangeAsync(request, cancellationToken);
    }

    public async Task<BankInstructionReply> QueryAsync(Guid instructionId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"instructions/{instructionId:N}");
        return await ExchangeAsync(request, cancellationToken);
    }

    private async Task<BankInstructionReply> ExchangeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (TaskCanceledException timeout) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The bank did not answer {request.Method} {request.RequestUri} in time.", timeout);
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return new BankInstructionReply(BankInstructionStatus.Unknown);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"The bank answered {(int)response.StatusCode} to {request.Method} {request.RequestUri}.", null, response.StatusCode);
            }

            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return BankInstructionJson.Reply(body) ?? throw new HttpRequestException("The bank's answer was empty.");
        }
    }
}

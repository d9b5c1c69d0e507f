using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Web.Errors;

namespace Trading.Workflow.Web.Deposits;

/// <summary>The platform's answer to a bank callback it recorded (or had recorded before: <see cref="Duplicate"/>).</summary>
public sealed record CallbackAnswer(string Outcome, Guid? PaymentId, string? Match, bool Flagged, bool Duplicate);

/// <summary>
/// The bank's side of the deposits: <c>POST /api/deposits/banks/{bank}/callbacks</c>. No sign-in cookie: a request is
/// valid only with the bank's HMAC-SHA256 signature over <c>timestamp.body</c> (<see cref="SignatureHeader"/>,
/// <see cref="TimestampHeader"/>). Stale timestamps and replayed signatures are refused; a deposit is recorded once
/// per bank transaction id (the same transaction again is answered 200 with <c>duplicate: true</c>).
/// With the mock bank enabled (demo, tests) its instruction API is served too.
/// </summary>
public static class DepositEndpoints
{
    public const string TimestampHeader = HttpBankAdapter.TimestampHeader;
    public const string SignatureHeader = HttpBankAdapter.SignatureHeader;

    /// <summary>Larger bodies are refused before they are read: a callback is a few hundred bytes.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static string CallbackPath(string bankCode) => $"/api/deposits/banks/{Uri.EscapeDataString(bankCode)}/callbacks";

    public static IEndpointRouteBuilder MapDeposits(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/deposits/banks/{bank}/callbacks", ReceiveCallbackAsync)
            .AllowAnonymous()
            .DisableAntiforgery()
            .WithTags("Deposits")
            .WithName("BankCallback")
            .WithSummary("A bank reports a deposit that arrived or the outcome of a refund or forfeiture instruction.")
            .WithDescription("Signed by the bank: X-Bank-Timestamp (Unix seconds, within 5 minutes of the server's clock) and "
                             + "X-Bank-Signature (hex HMAC-SHA256 with the bank's secret over \"{timestamp}.{body}\"). No cookie. "
                             + "Body: {\"type\":\"deposit\",\"transactionId\",\"amount\",\"payerName\",\"payerAccount\",\"payerBank\",\"reference\",\"receivedAt\"} "
                             + "or {\"type\":\"instruction\",\"instructionId\",\"status\":\"paid|rejected\",\"bankReference\",\"reason\"}.")
            .Accepts<BankCallbackBody>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        var mock = endpoints.ServiceProvider.GetRequiredService<MockBank>();
        if (mock.Enabled)
        {
            var bank = endpoints.MapGroup(MockBank.Path).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
            bank.MapPost("/instructions", MockInstructionAsync);
            bank.MapGet("/instructions/{id:guid}", (Guid id, MockBank mockBank) => TypedResults.Json(mockBank.Query(id), BankInstructionJson.Options));
        }

        return endpoints;
    }

    public static async Task<Results<Ok<CallbackAnswer>, ProblemHttpResult>> ReceiveCallbackAsync(
        string bank, HttpRequest request, DepositService deposits, IStringLocalizer<DepositsResource> text, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, text["Callback.TooLarge"]);
        }

        var body = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, text["Callback.TooLarge"]);
        }

        CallbackResult result;
        try
        {
            result = await deposits.HandleCallbackAsync(bank, request.Headers[TimestampHeader], request.Headers[SignatureHeader], body, cancellationToken);
        }
        catch (DomainRuleException rule)
        {
            var status = rule.RuleCode == DepositRules.TransactionReused ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
            return Problem(status, text[rule.RuleCode]);
        }

        return result.Outcome switch
        {
            CallbackOutcome.Recorded or CallbackOutcome.Duplicate => TypedResults.Ok(new CallbackAnswer(
                result.Outcome.ToString(), result.PaymentId, result.Match?.ToString(), result.Flagged, result.Outcome == CallbackOutcome.Duplicate)),
            // Not a bank the platform takes callbacks from (no secret configured for it).
            CallbackOutcome.UnknownBank => Problem(StatusCodes.Status403Forbidden, text["Callback.UnknownBank"]),
            CallbackOutcome.BadSignature => Problem(StatusCodes.Status401Unauthorized, text["Callback.BadSignature"]),
            CallbackOutcome.Stale => Problem(StatusCodes.Status401Unauthorized, text["Callback.Stale"]),
            CallbackOutcome.Replayed => Problem(StatusCodes.Status409Conflict, text["Callback.Replayed"]),
            _ => Problem(StatusCodes.Status400BadRequest, text["Callback.BadBody"] + (result.Detail is null ? string.Empty : " " + result.Detail)),
        };
    }

    private static async Task<IResult> MockInstructionAsync(HttpRequest request, MockBank bank, TimeProvider time, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(request, cancellationToken);
        if (body is null || BankCallbackSignature.Verify(bank.Secret, request.Headers[TimestampHeader], request.Headers[SignatureHeader], body,
                time.GetUtcNow(), BankCallbackSignature.DefaultTolerance) != BankCallbackCheck.Valid)
        {
            return TypedResults.Unauthorized();
        }

        var instruction = BankInstructionJson.Deserialize(body);
        if (instruction is null || request.Headers[HttpBankAdapter.IdempotencyHeader] != instruction.Id.ToString("N"))
        {
            return TypedResults.BadRequest();
        }

        var reply = bank.Pay(instruction);
        if (bank.DelayNextAnswer is { } delay)
        {
            bank.DelayNextAnswer = null;
            await Task.Delay(delay, CancellationToken.None);
        }

        return TypedResults.Json(reply, BankInstructionJson.Options);
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static ProblemHttpResult Problem(int status, string detail)
    {
        var culture = CultureInfo.CurrentUICulture;
        return TypedResults.Problem(PlatformProblems.Create(status, detail, culture).ToProblemDetails());
    }
}

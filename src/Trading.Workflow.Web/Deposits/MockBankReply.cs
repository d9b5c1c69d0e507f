using System.Text.Json;

namespace Trading.Workflow.Web.Deposits;

/// <summary>
/// How the demo bank page reaches the platform's callback: over HTTP to the app itself, as a bank would. Tests hand it
/// a handler that answers in place of the app.
/// </summary>
public sealed class MockBankHttp(HttpMessageHandler? handler = null)
{
    public HttpClient Create(Uri platform) =>
        new(handler ?? new HttpClientHandler(), disposeHandler: handler is null) { BaseAddress = platform, Timeout = TimeSpan.FromSeconds(30) };
}

/// <summary>
/// The platform's reply to a callback the demo bank sent, read for the page: what the platform did (recorded, a
/// duplicate, how the payment matched, whether it was flagged) or why it refused (the problem's detail), with the HTTP
/// status and the raw body kept only for the folded view.
/// </summary>
public sealed record MockBankReply(int Status, bool Ok, bool Duplicate, string? Match, bool Flagged, string? Problem, string Raw)
{
    public static MockBankReply Read(int status, string body)
    {
        var ok = status is >= 200 and < 300;
        bool duplicate = false, flagged = false;
        string? match = null, problem = null;
        try
        {
            using var json = JsonDocument.Parse(string.IsNullOrWhiteSpace(body) ? "{}" : body);
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                var root = json.RootElement;
                duplicate = Bool(root, "duplicate");
                flagged = Bool(root, "flagged");
                match = Text(root, "match");
                problem = ok ? null : Text(root, "detail") ?? Text(root, "title");
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's page, say): the status alone tells what happened; the raw body stays folded away.
        }

        return new MockBankReply(status, ok, duplicate, match, flagged, problem, body);
    }

    private static bool Bool(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

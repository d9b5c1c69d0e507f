using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Trading.Workflow.Web.Errors;

/// <summary>
/// A file a browser tab was refused: what the page says (by <see cref="Status"/>), the fields a bad link got wrong (a
/// 400 of <see cref="InputChecks"/>: name → messages) and where its link goes back to.
/// </summary>
public sealed record FileRefusal(int Status, string? Detail, string BackTo, IReadOnlyDictionary<string, string[]>? Errors = null);

/// <summary>Marks a download answered in a browser tab with the refused-file page (<see cref="FileRefusals.WithFileRefusalPage{TBuilder}"/>).</summary>
public sealed class FileRefusalPageMetadata
{
    public static FileRefusalPageMetadata Instance { get; } = new();
}

/// <summary>
/// The file downloads a browser opens (document content, scans, exports...): a refusal (a 4xx result, or an exception
/// <see cref="PlatformProblems"/> maps) answers a tab that asked for a page with the platform's page saying why, in the
/// user's language, with the status kept, instead of raw ProblemDetails. API callers and scripts (JSON, <c>*/*</c>)
/// get the endpoint's result unchanged. The page is the status page's re-execution (<c>/not-found</c>, which shows the
/// <see cref="FileRefusal"/>), so it has the app's layout, culture and sign-in.
/// </summary>
public static partial class FileRefusals
{
    /// <summary>Answers a browser navigation's refusal with the refused-file page.</summary>
    public static TBuilder WithFileRefusalPage<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        // The marker is for what runs outside this filter: the group's input checks and the exception handler.
        builder.Add(endpoint => endpoint.Metadata.Add(FileRefusalPageMetadata.Instance));
        return builder.AddEndpointFilter(AnswerBrowserAsync);
    }

    /// <summary>
    /// A refusal made before the endpoint's own filter runs (the group's <see cref="InputChecks"/>): the page when the
    /// endpoint is a download opened in a tab, else <paramref name="result"/> unchanged.
    /// </summary>
    public static object? ForBrowser(HttpContext http, object? result)
    {
        ArgumentNullException.ThrowIfNull(http);
        return OpensInTab(http, http.GetEndpoint()) && !http.Response.HasStarted && Refused(result) is { } refused
            ? Page(http, refused.Status, refused.Detail, refused.Errors)
            : result;
    }

    /// <summary>
    /// A request of a download opened in a tab that the framework could not read (a query value of the wrong type): the
    /// refusal is kept for the error page, which then shows the refused-file page; true when it did.
    /// <paramref name="endpoint"/> is the download's (the exception handler has cleared the request's).
    /// </summary>
    public static bool KeepForErrorPage(HttpContext http, Endpoint? endpoint, int status)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!OpensInTab(http, endpoint) || status is < 400 or >= 500)
        {
            return false;
        }

        // The framework's own words name a CLR parameter type: the page's message says it for the user.
        http.Features.Set(new FileRefusal(status, null, BackTo(http.Request)));
        return true;
    }

    private static bool OpensInTab(HttpContext http, Endpoint? endpoint) =>
        endpoint?.Metadata.GetMetadata<FileRefusalPageMetadata>() is not null && HttpMethods.IsGet(http.Request.Method) && IsBrowserNavigation(http.Request);

    /// <summary>
    /// Whether the request is a tab opening a page: its Accept names text/html (not by a wildcard) and ranks it at least
    /// as high as JSON. Browsers' navigations send <c>text/html,...,*/*;q=0.8</c>; fetch and scripts send <c>*/*</c> or JSON.
    /// </summary>
    public static bool IsBrowserNavigation(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var accept = request.GetTypedHeaders().Accept;
        double html = 0, json = 0;
        foreach (var type in accept)
        {
            var quality = type.Quality ?? 1;
            if (type.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) || type.MediaType.Equals("application/xhtml+xml", StringComparison.OrdinalIgnoreCase))
            {
                html = Math.Max(html, quality);
            }
            else if (type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.MediaType.Equals("application/problem+json", StringComparison.OrdinalIgnoreCase))
            {
                json = Math.Max(json, quality);
            }
        }

        return html > 0 && html >= json;
    }

    private static async ValueTask<object?> AnswerBrowserAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsGet(http.Request.Method) || !IsBrowserNavigation(http.Request))
        {
            return await next(context);
        }

        object? result;
        try
        {
            result = await next(context);
        }
        catch (Exception e) when (!http.Response.HasStarted && PlatformProblems.Describe(e) is { Status: >= 400 and < 500 } problem)
        {
            // Logged as the exception handler would have (a refusal, no defect), then shown as a page.
            LogRefused(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FileRefusals)),
                http.Request.Method, http.Request.Path.Value ?? string.Empty, problem.Status, e.GetType().Name, e.Message, http.TraceIdentifier);
            return Page(http, problem.Status, problem.Detail, problem.Errors);
        }

        return http.Response.HasStarted || Refused(result) is not { } refused ? result : Page(http, refused.Status, refused.Detail, refused.Errors);
    }

    private static (int Status, string? Detail, IReadOnlyDictionary<string, string[]>? Errors)? Refused(object? result) => result switch
    {
        INestedHttpResult nested => Refused(nested.Result),
        ForbidHttpResult => (StatusCodes.Status403Forbidden, null, null),
        ProblemHttpResult { StatusCode: >= 400 and < 500 } problem => (problem.StatusCode, problem.ProblemDetails.Detail,
            (problem.ProblemDetails as HttpValidationProblemDetails)?.Errors is { Count: > 0 } errors ? errors.AsReadOnly() : null),
        IStatusCodeHttpResult { StatusCode: >= 400 and < 500 } status => (status.StatusCode.Value, null, null),
        _ => null,
    };

    // A bare status the status page re-executes: /not-found shows the refusal (and App renders it statically).
    private static IResult Page(HttpContext http, int status, string? detail, IReadOnlyDictionary<string, string[]>? errors)
    {
        http.Features.Set(new FileRefusal(status, detail, BackTo(http.Request), errors));
        // The page is HTML whatever the endpoint had said of the file before refusing it (the status page keeps headers).
        http.Response.Headers.Remove(HeaderNames.ContentType);
        http.Response.Headers.Remove(HeaderNames.ContentDisposition);
        if (http.Features.Get<IStatusCodePagesFeature>() is { } pages)
        {
            // The pipeline turns status pages off for /api (evaluation items are opened in a tab too).
            pages.Enabled = true;
        }

        return TypedResults.StatusCode(status);
    }

    // The page the link was followed from when it is one of ours, else home.
    private static string BackTo(HttpRequest request) =>
        Uri.TryCreate(request.Headers[HeaderNames.Referer].ToString(), UriKind.Absolute, out var referrer)
        && string.Equals(referrer.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)
        && !string.Equals(referrer.AbsolutePath, request.Path.Value, StringComparison.Ordinal)
            ? Accounts.LocalPath.OrHome(referrer.PathAndQuery)
            : "/";

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Method} {Path} with {StatusCode} ({ErrorType}: {ErrorMessage}), correlation id {CorrelationId}")]
    private static partial void LogRefused(ILogger logger, string method, string path, int statusCode, string errorType, string errorMessage, string correlationId);
}

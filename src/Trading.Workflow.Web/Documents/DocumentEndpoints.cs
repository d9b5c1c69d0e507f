using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Web.Errors;
using Trading.Workflow.Web.Logging;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Documents;

/// <summary>A registered document as the API shows it (its id is what other parts keep).</summary>
public sealed record DocumentResponse(
    Guid Id, string Name, long Length, string Kind, string ContentType, string Sha256, string Sm3, string UploadedBy, DateTimeOffset UploadedAt,
    Guid? ProjectId, Guid? SectionId, bool Damaged)
{
    public static DocumentResponse From(Document d) =>
        new(d.Id, d.Name, d.Length, d.Kind.ToString(), d.ContentType, d.Sha256, d.Sm3, d.UploadedBy, d.UploadedAt, d.ProjectId, d.SectionId, d.IsDamaged);
}

/// <summary>Where a chunked upload stands; <see cref="Document"/> is set once the last chunk was accepted.</summary>
public sealed record ChunkedUploadResponse(Guid Id, string FileName, long TotalBytes, long ReceivedBytes, int ChunkBytes, DateTimeOffset ExpiresAt, DocumentResponse? Document)
{
    public static ChunkedUploadResponse From(ChunkedUploadInfo u, Document? document = null) =>
        new(u.Id, u.FileName, u.TotalBytes, u.ReceivedBytes, u.ChunkBytes, u.ExpiresAt, document is null ? null : DocumentResponse.From(document));
}

/// <summary>Begins a chunked upload; <paramref name="Sealed"/> for a sealed bid's encrypted file (ciphertext only, served to its uploader alone).</summary>
public sealed record StartChunkedUploadRequest(string FileName, long TotalBytes, Guid? ProjectId, Guid? SectionId, bool Sealed = false);

public sealed record DownloadRecordResponse(Guid Id, Guid DocumentId, string DocumentName, string UserName, DateTimeOffset At, bool Refused);

/// <summary>What the upload component needs to know before it sends a file.</summary>
public sealed record UploadSettingsResponse(IReadOnlyList<string> Extensions, long MaxBytes, long ChunkedAboveBytes, int ChunkBytes);

/// <summary>The query of a whole-file upload: the file's name and what it belongs to.</summary>
public sealed record UploadQuery(string Name, Guid? ProjectId, Guid? SectionId);

/// <summary>
/// Documents over HTTP: uploads whole (the request body streams to disk) or in resumable chunks, the one download
/// endpoint (verifies the bytes while streaming and records who downloaded), and the download records (staff and
/// supervisors). Uploads send the raw bytes as the body (<c>application/octet-stream</c>), never multipart, so nothing
/// is buffered.
/// </summary>
public static class DocumentEndpoints
{
    public static IEndpointRouteBuilder MapDocuments(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/documents").WithTags("Documents")
            .RequireAuthorization()
            .DisableAntiforgery()
            .AddEndpointFilter(RequireApiHeaderOnChanges)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/settings", GetSettings).WithName("GetUploadSettings").WithSummary("What an upload may be: kinds, largest size, chunking");
        api.MapPost("/", Upload).WithName("UploadTradeDocument").WithSummary("Upload a whole file (raw body; ?name=...)")
            .Accepts<Stream>("application/octet-stream")
            .WithMetadata(new Security.RequestBodyLimit(c => c.RequestServices.GetRequiredService<DocumentService>().Options.MaxBytes + 1));
        api.MapPost("/uploads", StartChunked).WithName("StartChunkedUpload").WithSummary("Begin a resumable chunked upload");
        api.MapGet("/uploads/{id:guid}", GetChunked).WithName("GetChunkedUpload").WithSummary("Where a chunked upload stands (to resume)");
        api.MapPut("/uploads/{id:guid}", AppendChunk).WithName("AppendChunk").WithSummary("Send the chunk that starts at ?offset= (raw body)")
            .Accepts<Stream>("application/octet-stream")
            .WithMetadata(new Security.RequestBodyLimit(c => c.RequestServices.GetRequiredService<DocumentService>().Options.ChunkBytes + 1));
        api.MapGet("/{id:guid}", GetDocument).WithName("GetTradeDocument").WithSummary("A document's registry entry");
        api.MapGet("/{id:guid}/downloads", ListDownloads).WithName("ListDocumentDownloads").WithSummary("Who downloaded the document (staff and supervisors)");

        // The one download endpoint; a plain path so a link downloads with the sign-in cookie.
        endpoints.MapGet("/documents/{id:guid}/content", Download).WithTags("Documents").WithName("DownloadDocumentContent")
            .WithSummary("Download a document; its bytes are verified against its SHA-256 while they stream")
            .RequireAuthorization()
            .WithFileRefusalPage()
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return endpoints;
    }

    public static DocumentActor Actor(ClaimsPrincipal principal)
    {
        var user = WorkflowUser.From(principal);
        return new DocumentActor(user.UserId, user.Roles, CentreClaimsPrincipalFactory.CentreOf(principal));
    }

    public static Ok<UploadSettingsResponse> GetSettings(DocumentService documents)
    {
        var o = documents.Options;
        return TypedResults.Ok(new UploadSettingsResponse(o.Kinds.SelectMany(FileKinds.Extensions).ToList(), o.MaxBytes, o.ChunkedAboveBytes, o.ChunkBytes));
    }

    public static async Task<Results<Created<DocumentResponse>, ProblemHttpResult>> Upload(
        [AsParameters] UploadQuery query, HttpContext context, DocumentService documents, CancellationToken ct)
    {
        var actor = Actor(context.User);
        if (context.Request.ContentLength is { } length && length > documents.Options.MaxBytes)
        {
            return Problem(new DomainRuleException(DocumentRules.TooLarge, "too large"));
        }

        AllowLargeBody(context, documents.Options.MaxBytes);
        try
        {
            var document = await documents.UploadAsync(context.Request.Body, query.Name, new DocumentScope(null, query.ProjectId, query.SectionId), actor, ct);
            return TypedResults.Created($"/api/documents/{document.Id}", DocumentResponse.From(document));
        }
        catch (DomainRuleException e)
        {
            return Problem(e);
        }
    }

    public static async Task<Results<Created<ChunkedUploadResponse>, ProblemHttpResult>> StartChunked(
        StartChunkedUploadRequest request, ClaimsPrincipal principal, DocumentService documents, CancellationToken ct)
    {
        try
        {
            var upload = await documents.StartChunkedAsync(request.FileName, request.TotalBytes, new DocumentScope(null, request.ProjectId, request.SectionId), Actor(principal), request.Sealed, ct);
            return TypedResults.Created($"/api/documents/uploads/{upload.Id}", ChunkedUploadResponse.From(upload));
        }
        catch (DomainRuleException e)
        {
            return Problem(e);
        }
    }

    public static async Task<Results<Ok<ChunkedUploadResponse>, ProblemHttpResult>> GetChunked(Guid id, ClaimsPrincipal principal, DocumentService documents, CancellationToken ct)
    {
        try
        {
            return TypedResults.Ok(ChunkedUploadResponse.From(await documents.GetChunkedAsync(id, Actor(principal), ct)));
        }
        catch (DomainRuleException e)
        {
            return Problem(e);
        }
    }

    /// <summary>A chunk at another offset than where the upload stands answers 409 with the upload's state (ReceivedBytes says where to go on).</summary>
    public static async Task<Results<Ok<ChunkedUploadResponse>, Conflict<ChunkedUploadResponse>, ProblemHttpResult>> AppendChunk(
        Guid id, long offset, HttpContext context, DocumentService documents, CancellationToken ct)
    {
        var actor = Actor(context.User);
        AllowLargeBody(context, documents.Options.ChunkBytes);
        try
        {
            var (upload, document) = await documents.AppendChunkAsync(id, offset, context.Request.Body, actor, ct);
            return TypedResults.Ok(ChunkedUploadResponse.From(upload, document));
        }
        catch (ChunkOffsetException)
        {
            return TypedResults.Conflict(ChunkedUploadResponse.From(await documents.GetChunkedAsync(id, actor, ct)));
        }
        catch (DomainRuleException e)
        {
            return Problem(e);
        }
    }

    public static async Task<Results<Ok<DocumentResponse>, ProblemHttpResult>> GetDocument(Guid id, ClaimsPrincipal principal, DocumentService documents, CancellationToken ct)
    {
        var document = await documents.FindAsync(id, ct);
        if (document is null || !await documents.MayDownloadAsync(Actor(principal), document, ct))
        {
            return Problem(new DomainRuleException(DocumentRules.NotFound, "not found"));
        }

        return TypedResults.Ok(DocumentResponse.From(document));
    }

    public static async Task<Results<Ok<IReadOnlyList<DownloadRecordResponse>>, ProblemHttpResult>> ListDownloads(
        Guid id, ClaimsPrincipal principal, DocumentService documents, CancellationToken ct, int skip = 0, int take = 50)
    {
        try
        {
            var page = await documents.ListDownloadsAsync(Actor(principal), id, Math.Max(0, skip), Math.Clamp(take, 1, 200), ct);
            return TypedResults.Ok<IReadOnlyList<DownloadRecordResponse>>(page.Items
                .Select(r => new DownloadRecordResponse(r.Download.Id, r.Download.DocumentId, r.DocumentName, r.Download.UserName, r.Download.At, r.Download.Refused)).ToList());
        }
        catch (DomainRuleException e)
        {
            return Problem(e);
        }
    }

    /// <summary>
    /// Streams the document with its original name. The bytes are hashed as they go and the last block is held back
    /// until the hash matches: a damaged file is refused (409) when found before the response starts, otherwise the
    /// response is aborted before it completes; either way the document is flagged for supervisors.
    /// </summary>
    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> Download(Guid id, HttpContext context, DocumentService documents, ILoggerFactory loggers, CancellationToken ct)
    {
        DocumentDownloadHandle handle;
        try
        {
            handle = await documents.OpenDownloadAsync(id, Actor(context.User), ct);
        }
        catch (Exception e) when (e is DomainRuleException or DocumentDamagedException)
        {
            return Problem(e);
        }

        await using (handle)
        {
            var response = context.Response;
            response.ContentType = handle.Document.ContentType;
            response.ContentLength = handle.Document.Length;
            response.Headers[HeaderNames.ContentDisposition] = new ContentDispositionHeaderValue("attachment") { FileNameStar = handle.Document.Name }.ToString();
            response.Headers["X-Content-SHA256"] = handle.Document.Sha256;
            response.Headers["X-Content-SM3"] = handle.Document.Sm3;
            try
            {
                await handle.CopyToAsync(response.Body, ct);
            }
            catch (DocumentDamagedException e)
            {
                if (!response.HasStarted)
                {
                    // Nothing of the file was sent: what described it (its type, name, hashes) goes with it.
                    response.Headers.Remove(HeaderNames.ContentDisposition);
                    response.Headers.Remove(HeaderNames.ContentType);
                    response.Headers.Remove("X-Content-SHA256");
                    response.Headers.Remove("X-Content-SM3");
                    response.ContentLength = null;
                    return Problem(e);
                }

                loggers.CreateLogger(typeof(DocumentEndpoints)).LogError("Document {DocumentId} failed its hash while streaming; response aborted", id);
                context.Abort();
            }
        }

        return TypedResults.Empty;
    }

    private static void AllowLargeBody(HttpContext context, long limit)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit + 1;
        }
    }

    private static ProblemHttpResult Problem(Exception e) =>
        TypedResults.Problem((DocumentProblems.Describe(e, CultureInfo.CurrentUICulture) ?? PlatformProblems.Describe(e)!).ToProblemDetails());

    private static async ValueTask<object?> RequireApiHeaderOnChanges(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        if (HttpMethods.IsGet(request.Method) || request.Headers.ContainsKey(WorkflowEndpoints.ApiHeader))
        {
            return await next(context);
        }

        var culture = CultureInfo.CurrentUICulture;
        return TypedResults.Problem(PlatformProblems.Create(
            StatusCodes.Status400BadRequest, PlatformProblems.Message("Problem.MissingHeader", culture, WorkflowEndpoints.ApiHeader), culture).ToProblemDetails());
    }
}

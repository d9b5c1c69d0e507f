using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Bidding;

namespace Trading.Workflow.Web.Bidding;

/// <summary>
/// A lot to create for a section the platform holds (its project and centre are the section's, never typed again);
/// durations in seconds (see <see cref="LotSettings"/>).
/// </summary>
public sealed record CreateLotRequest(
    Guid SectionId, string Title, BiddingMode Mode, decimal StartPrice, decimal Increment, int[] AllowedMultiples,
    DateTimeOffset Opens, DateTimeOffset ScheduledEnd, int CountdownSeconds, int ExtensionSeconds, int MinimumBidders, decimal? PriceCap,
    int CapMatchWindowSeconds, int SealedRoundSeconds, decimal? Reserve)
{
    public LotSettings ToSettings() => new(Mode, StartPrice, Increment, AllowedMultiples ?? [], Opens, ScheduledEnd, TimeSpan.FromSeconds(CountdownSeconds),
        TimeSpan.FromSeconds(ExtensionSeconds), MinimumBidders, PriceCap, TimeSpan.FromSeconds(CapMatchWindowSeconds), TimeSpan.FromSeconds(SealedRoundSeconds));
}

/// <summary>An entity to admit: a participant of the lot's section (its name is read from the platform).</summary>
public sealed record AdmitRequest(Guid EntityId);

public sealed record BidRequest(decimal Amount, string IdempotencyKey);

public sealed record IncrementRequest(decimal Increment, int[] Multiples);

/// <summary>
/// The public result of a closed lot: the reserve is revealed with the close, the winner's name when its slice makes it
/// public (<see cref="LotResults"/>; <see cref="WinnerWithheld"/> until then, for those not entitled to it earlier). The
/// outcome is the one the log's replay derives; should the replay fail, it is the one the engine recorded in the
/// Closed entry (what the sale's parties acted on), with <see cref="LogVerified"/> false and the first entry the replay
/// could not derive.
/// </summary>
public sealed record LotResult(Guid LotId, string Title, bool Sold, int? WinnerNumber, string? WinnerName, decimal? Price, string? NoSaleReason, decimal? Reserve, long Entries, string LastHash, bool LogVerified, long? FirstBadSequence = null, bool WinnerWithheld = false);

/// <summary>
/// The bidding API (<c>/api/bidding</c>): staff create lots, admit eligible bidders and change the increment; bidders
/// bid; everyone admitted to the room reads the view and the log after a sequence; staff and supervisors replay
/// the log. The public result (<c>/api/bidding/lots/{id}/result</c>) answers only once the lot is closed.
/// </summary>
public static class BiddingEndpoints
{
    public static IEndpointRouteBuilder MapBidding(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHub<BiddingHub>(BiddingHub.Path);
        var api = endpoints.MapGroup("/api/bidding/lots").WithTags("Bidding");
        api.ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/", CreateAsync).RequireAuthorization(new AuthorizeAttribute { Roles = PlatformRoles.Staff }).WithName("CreateBiddingLot");
        api.MapPost("/{id:guid}/bidders", AdmitAsync).RequireAuthorization(new AuthorizeAttribute { Roles = PlatformRoles.Staff }).WithName("AdmitBidder");
        api.MapPost("/{id:guid}/increment", IncrementAsync).RequireAuthorization(new AuthorizeAttribute { Roles = PlatformRoles.Staff }).WithName("ChangeIncrement");
        api.MapPost("/{id:guid}/bids", SubmitAsync).RequireAuthorization(new AuthorizeAttribute { Roles = PlatformRoles.Bidder }).WithName("SubmitBid");
        api.MapGet("/{id:guid}", ViewAsync).RequireAuthorization().WithName("BiddingLotView");
        api.MapGet("/{id:guid}/log", LogAsync).RequireAuthorization().WithName("BiddingLotLog");
        api.MapGet("/{id:guid}/verify", VerifyAsync).RequireAuthorization(new AuthorizeAttribute { Roles = PlatformRoles.Staff + "," + PlatformRoles.Supervisor }).WithName("VerifyBiddingLog");
        api.MapGet("/{id:guid}/result", ResultAsync).AllowAnonymous().WithName("BiddingLotResult");
        return endpoints;
    }

    public static async Task<Results<Created<Guid>, ForbidHttpResult, NotFound>> CreateAsync(
        CreateLotRequest request, HttpContext http, BiddingAccess access, BiddingLotAdministration lots, CancellationToken cancellationToken)
    {
        var section = await lots.SectionAsync(request.SectionId, cancellationToken);
        if (section is null)
        {
            return TypedResults.NotFound();
        }

        if (!await access.MayCreateAsync(http.User, section.ProjectId, cancellationToken))
        {
            return TypedResults.Forbid();
        }

        var id = await lots.CreateAsync(section, request.Title, request.ToSettings(), request.Reserve, http.User.Identity!.Name!, cancellationToken);
        return TypedResults.Created($"/api/bidding/lots/{id}", id);
    }

    public static async Task<Results<Ok<AdmittedBidder>, ForbidHttpResult>> AdmitAsync(
        Guid id, AdmitRequest request, HttpContext http, BiddingAccess access, BiddingLotAdministration lots, CancellationToken cancellationToken)
    {
        if (await access.ViewerAsync(http.User, id, cancellationToken) is not { CanManage: true })
        {
            return TypedResults.Forbid();
        }

        return TypedResults.Ok(await lots.AdmitAsync(id, request.EntityId, http.User.Identity!.Name!, cancellationToken));
    }

    public static async Task<Results<NoContent, ForbidHttpResult>> IncrementAsync(
        Guid id, IncrementRequest request, HttpContext http, BiddingAccess access, BiddingEngine engine, CancellationToken cancellationToken)
    {
        if (await access.ViewerAsync(http.User, id, cancellationToken) is not { CanManage: true })
        {
            return TypedResults.Forbid();
        }

        await engine.ChangeIncrementAsync(id, request.Increment, request.Multiples ?? [], cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<BidAnswer>, ForbidHttpResult>> SubmitAsync(
        Guid id, BidRequest request, HttpContext http, BiddingAccess access, BiddingEngine engine, IStringLocalizer<BiddingResource> text, CancellationToken cancellationToken)
    {
        var viewer = await access.ViewerAsync(http.User, id, cancellationToken);
        if (viewer is not { CanBid: true })
        {
            return TypedResults.Forbid();
        }

        return TypedResults.Ok(await BidAsync(engine, text, id, viewer.BidderNumber!.Value, request.Amount, request.IdempotencyKey));
    }

    public static async Task<Results<Ok<LotView>, ForbidHttpResult>> ViewAsync(Guid id, HttpContext http, BiddingAccess access, BiddingEngine engine, CancellationToken cancellationToken) =>
        await access.ViewerAsync(http.User, id, cancellationToken) is null
            ? TypedResults.Forbid()
            : TypedResults.Ok(await engine.Feed.ViewAsync(id, cancellationToken));

    public static async Task<Results<Ok<IReadOnlyList<PublicBidEntry>>, ForbidHttpResult>> LogAsync(
        Guid id, long? after, HttpContext http, BiddingAccess access, BiddingEngine engine, CancellationToken cancellationToken) =>
        await access.ViewerAsync(http.User, id, cancellationToken) is null
            ? TypedResults.Forbid()
            : TypedResults.Ok(await engine.Feed.SinceAsync(id, after ?? 0, cancellationToken));

    /// <summary>The log's replay: staff who see the lot and supervisors (the grantor and the bidders read the result's verification).</summary>
    public static async Task<Results<Ok<BidLogVerification>, ForbidHttpResult, NotFound>> VerifyAsync(
        Guid id, HttpContext http, BiddingAccess access, BiddingEngine engine, CancellationToken cancellationToken)
    {
        if (await engine.Store.FindLotAsync(id, cancellationToken) is not { } lot)
        {
            return TypedResults.NotFound();
        }

        return await access.ViewerAsync(http.User, lot, cancellationToken) is { Role: RoomRole.Staff or RoomRole.Supervisor }
            ? TypedResults.Ok(await engine.VerifyAsync(id, cancellationToken))
            : TypedResults.Forbid();
    }

    /// <summary>The result once the lot is closed, the winner named only to those who may read it yet (<see cref="LotResults"/>).</summary>
    public static async Task<Results<Ok<LotResult>, NotFound>> ResultAsync(Guid id, HttpContext http, LotResults results, CancellationToken cancellationToken) =>
        await results.OfAsync(http.User, id, cancellationToken) is { } result ? TypedResults.Ok(result) : TypedResults.NotFound();

    /// <summary>One bid through the lot's sequencer, the refusal reason put in the caller's language.</summary>
    public static async Task<BidAnswer> BidAsync(BiddingEngine engine, IStringLocalizer<BiddingResource> text, Guid lotId, int bidderNumber, decimal amount, string key)
    {
        var receipt = await engine.SubmitAsync(lotId, bidderNumber, amount, string.IsNullOrWhiteSpace(key) ? null : key);
        return new BidAnswer(receipt.Accepted, receipt.Reason, receipt.Reason is { } reason ? text[$"Rule.{reason}"].Value : null, receipt.Sequence,
            receipt.Amount, receipt.CurrentPrice, receipt.NextValidPrice, receipt.EndsAt, receipt.At, receipt.Repeated, receipt.Ordinal);
    }
}

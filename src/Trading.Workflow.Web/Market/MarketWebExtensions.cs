using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Errors;
using Trading.Workflow.Web.Kernel;

namespace Trading.Workflow.Web.Market;

public static class MarketWebExtensions
{
    /// <summary>The web side of market entities: account creation for registration and invitations.</summary>
    public static IServiceCollection AddMarketWeb(this IServiceCollection services)
    {
        services.AddScoped<MarketAccounts>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDocumentAccessRule, MarketScanAccess>());
        services.AddDemoDataStep<MarketDemoData>();
        return services;
    }

    /// <summary>GET /market/entities/{id}/documents/{sha256}: a scan of the entity, to staff, supervisors and its users.</summary>
    public static IEndpointRouteBuilder MapMarket(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/market/entities/{entityId:guid}/documents/{sha256}", DownloadScanAsync)
            .RequireAuthorization()
            .WithFileRefusalPage()
            // A damaged old scan (DocumentDamagedException) is the platform's exception handler's: a 409 in the reader's language.
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("DownloadMarketScan")
            .WithSummary("Downloads a scanned certificate of a market entity after checking its SHA-256.");
        return endpoints;
    }

    /// <summary>Whether the user may read the entity: staff and supervisors (any centre, entities are province-wide) or its own users.</summary>
    public static async Task<bool> MayReadAsync(ClaimsPrincipal user, string? userId, Guid entityId, IEntityMembership membership, CancellationToken cancellationToken) =>
        user.IsInRole(PlatformRoles.Staff) || user.IsInRole(PlatformRoles.Supervisor)
        || (userId is not null && await membership.IsMemberAsync(entityId, userId, cancellationToken));

    /// <summary>
    /// Whether the user may read the entity's personal data in full (its legal representative's resident ID number):
    /// its own users, staff (who verify profiles) and supervisors. Today these are exactly the readers of
    /// <see cref="MayReadAsync"/>; kept apart so a page opened to more readers masks the number for them.
    /// </summary>
    public static Task<bool> MaySeePersonalDataAsync(ClaimsPrincipal user, string? userId, Guid entityId, IEntityMembership membership, CancellationToken cancellationToken) =>
        MayReadAsync(user, userId, entityId, membership, cancellationToken);

    /// <summary>
    /// A scan of the registry goes to the one document download (<c>/documents/{id}/content</c>: hash checked while it
    /// streams, the download recorded); a scan stored before scans were registry documents is read here.
    /// </summary>
    public static async Task<Results<FileStreamHttpResult, RedirectHttpResult, NotFound, ForbidHttpResult>> DownloadScanAsync(
        Guid entityId, string sha256, ClaimsPrincipal user, UserManager<AppUser> users, IEntityMembership membership,
        MarketEntityService market, CancellationToken cancellationToken)
    {
        if (!await MayReadAsync(user, users.GetUserId(user), entityId, membership, cancellationToken))
        {
            return TypedResults.Forbid();
        }

        try
        {
            if ((await market.FindScanAsync(entityId, sha256, cancellationToken)).DocumentId is { } documentId)
            {
                return TypedResults.Redirect($"/documents/{documentId}/content");
            }

            var (content, fileName) = await market.OpenScanAsync(entityId, sha256, cancellationToken);
            return TypedResults.File(content, FileKinds.ContentType(FileKinds.Detect(content)), fileName);
        }
        catch (DomainRuleException ex) when (ex.RuleCode is DocumentRules.NotFound or MarketRules.EntityNotFound)
        {
            return TypedResults.NotFound();
        }
    }
}

using Microsoft.AspNetCore.Http.HttpResults;
using Trading.Workflow.Domain.Credit;

namespace Trading.Workflow.Web.Credit;

/// <summary>The published sanctions (条例 78) as JSON, without sign-in: the same list as /portal/credit.</summary>
public static class CreditEndpoints
{
    public static IEndpointRouteBuilder MapCredit(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/portal").WithTags("Portal").AllowAnonymous();
        api.MapGet("/credit", PublishedAsync).WithName("PortalCredit")
            .WithSummary("Sanctions in force and revoked ones (marked), as published: subject, credit code, category, basis, decision number, period, issuing centre.");
        return endpoints;
    }

    public static async Task<Ok<IReadOnlyList<PublicSanction>>> PublishedAsync(CreditService credit, CancellationToken cancellationToken) =>
        TypedResults.Ok(await credit.PublishedAsync(cancellationToken));
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.OpenApi;
using System.Text.Json.Serialization;
using Scalar.AspNetCore;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Credit;
using Trading.Workflow.Domain.Notices;

namespace Trading.Workflow.Web.Api;

/// <summary>
/// The OpenAPI description of the REST API (public: it describes, it exposes no data) and the Scalar reference
/// that renders it (administrators only).
/// </summary>
public static class ApiExtensions
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/api/docs";
    public const string ReferencePolicy = "ApiReference";
    public const string CookieScheme = "cookie";

    public static IServiceCollection AddPlatformApi(this IServiceCollection services)
    {
        // The portal's open data (notices, sanctions) names its kinds: a reuser should not need our enum's numbering,
        // and adding a kind must not renumber the others. The OpenAPI document follows the same options.
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter<NoticeKind>());
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter<CreditCategory>());
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter<CreditSubjectKind>());
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(ReferencePolicy, policy => policy.RequireAuthenticatedUser().RequireRole(PlatformRoles.Administrator));
        services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Trading.Workflow API",
                    Version = DocumentName,
                    Description = "The workflow API of the public-resource trading platform: inbox, tasks, instances, incidents, documents. "
                                  + "Callers sign in through /Account/Login and send the sign-in cookie; every changing call also sends the "
                                  + "X-Requested-With header (any value). Errors are RFC 9457 problem details in the caller's language "
                                  + "(Chinese by default, English with the culture cookie). What a user may do is decided per task and "
                                  + "instance, as on the pages; each operation says who may call it.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[CookieScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Cookie,
                    Name = ".AspNetCore." + IdentityConstants.ApplicationScheme,
                    Description = "The sign-in cookie set by /Account/Login.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any())
                {
                    return Task.CompletedTask;
                }

                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(CookieScheme, context.Document)] = [] });
                var roles = metadata.OfType<IAuthorizeData>().SelectMany(a => (a.Roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToList();
                if (roles.Count > 0)
                {
                    operation.Description = $"{operation.Description}\n\nRoles: {string.Join(", ", roles)}.".TrimStart();
                }

                return Task.CompletedTask;
            });
        });
        return services;
    }

    public static IEndpointRouteBuilder MapPlatformApiDocuments(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi(DocumentPath).AllowAnonymous();
        // Nothing leaves the centre's network: no web fonts, no AI agent fed with the document, no telemetry.
        endpoints.MapScalarApiReference(ReferencePath, options => options
                .WithTitle("Trading.Workflow API")
                .WithOpenApiRoutePattern(DocumentPath)
                .AddPreferredSecuritySchemes([CookieScheme])
                .DisableDefaultFonts()
                .DisableAgent()
                .DisableTelemetry()
                .HideDeveloperTools()
                .HideClientButton())
            .RequireAuthorization(ReferencePolicy);
        return endpoints;
    }
}

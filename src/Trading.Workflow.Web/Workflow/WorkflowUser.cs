using System.Security.Claims;
using Trading.Workflow.Domain.Accounts;

namespace Trading.Workflow.Web.Workflow;

/// <summary>
/// Who acts in a workflow command: the engine knows users by their user name (readable in history and usable as
/// candidate users in a procedure) and roles by the platform role names.
/// </summary>
public sealed record WorkflowUser(string UserId, IReadOnlyList<string> Roles)
{
    public static WorkflowUser From(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var name = principal.Identity is { IsAuthenticated: true, Name: { Length: > 0 } n } ? n : throw new WorkflowAccessDeniedException();
        return new WorkflowUser(name, RolesOf(principal));
    }

    /// <summary>The platform roles among the principal's role claims, each once.</summary>
    public static List<string> RolesOf(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.FindAll(principal.Identities.FirstOrDefault()?.RoleClaimType ?? ClaimTypes.Role)
            .Select(c => c.Value).Where(PlatformRoles.IsKnown).Distinct(StringComparer.Ordinal).ToList();
    }

    public bool IsInRole(string role) => Roles.Contains(role, StringComparer.Ordinal);

    public bool IsAdministrator => IsInRole(PlatformRoles.Administrator);

    /// <summary>Staff, supervisors and administrators may look at any instance; only administrators change one.</summary>
    public bool MayViewInstances => IsAdministrator || IsInRole(PlatformRoles.Staff) || IsInRole(PlatformRoles.Supervisor);
}

/// <summary>The user may not do this; shown as 403 to API callers and as a message on pages.</summary>
public sealed class WorkflowAccessDeniedException()
    : Exception("您没有执行此操作的权限。 / You are not allowed to do this.")
{
    public const string MessageZh = "您没有执行此操作的权限。";
    public const string MessageEn = "You are not allowed to do this.";
}

using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Web.Data;

namespace Trading.Workflow.Web.Designer;

public sealed record LookupItem(string Id, string Label);

public sealed record HandlerItem(string Name, string Description);

/// <summary>What the properties panel's pickers offer, in the UI language. Serialized to the browser as camelCase JSON.</summary>
public sealed record DesignerLookupData(IReadOnlyList<LookupItem> Roles, IReadOnlyList<LookupItem> Users, IReadOnlyList<HandlerItem> Handlers);

/// <summary>Platform roles, users (by user name, which task assignment uses) and registered service-task handlers.</summary>
public sealed class DesignerLookups(UserManager<AppUser> users, IStringLocalizer<SharedResource> shared, IServiceTaskHandlerCatalog? handlers = null)
{
    /// <summary>Enough users for a picker; beyond that the panel takes a typed user id or expression.</summary>
    public const int MaxUsers = 500;

    public async Task<DesignerLookupData> LoadAsync(CancellationToken cancellationToken = default)
    {
        var roles = PlatformRoles.All.Select(r => new LookupItem(r, $"{shared[$"Role.{r}"]} ({r})")).ToList();
        var people = await users.Users.AsNoTracking()
            .OrderBy(u => u.UserName)
            .Take(MaxUsers)
            .Select(u => new { u.UserName, u.DisplayName })
            .ToListAsync(cancellationToken);
        var userItems = people
            .Where(u => u.UserName != null)
            .Select(u => new LookupItem(u.UserName!, string.IsNullOrWhiteSpace(u.DisplayName) ? u.UserName! : $"{u.DisplayName} ({u.UserName})"))
            .ToList();
        var handlerItems = (handlers?.Handlers ?? new Dictionary<string, string>())
            .OrderBy(h => h.Key, StringComparer.Ordinal)
            .Select(h => new HandlerItem(h.Key, h.Value))
            .ToList();
        return new DesignerLookupData(roles, userItems, handlerItems);
    }
}

using Microsoft.AspNetCore.Identity;

namespace Trading.Workflow.Web.Data;

/// <summary>
/// A platform account. Staff, Tenderee and Administrator accounts belong to a trading centre;
/// Bidder and Expert accounts are province-wide and have no centre.
/// </summary>
public sealed class AppUser : IdentityUser
{
    public const int MaxDisplayNameLength = 100;

    public string? DisplayName { get; set; }

    public Guid? CentreId { get; set; }
}

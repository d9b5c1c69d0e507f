using Bunit;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Web.Components.Pages.Market;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.Market;

/// <summary>
/// The legal representative's ID number on a profile: in full only when the page says the viewer may see it (the
/// entity's users, staff, supervisors), masked for anyone else, and "not recorded" on a profile verified before it.
/// </summary>
public sealed class ProfileViewTests : PlatformComponentTest
{
    private const string Number = "35010219800101002X";

    private static readonly EntityProfile Profile = EntityProfile.Create(EntityKind.Organisation, "演示建设集团有限公司", "91350100M000100Y43", "张三",
        "福州市鼓楼区演示路1号", "350102", new BankAccount("演示银行福州分行", "演示建设集团有限公司", "6222000011112222"), [], [],
        new DateOnly(2026, 12, 2), Number);

    private bool _providers;

    private IRenderedComponent<ProfileView> RenderView(EntityProfile profile, bool? showPersonalData = null, EntityProfile? compare = null)
    {
        // The MudBlazor providers once per test: a second set would claim the same popover section.
        if (!_providers)
        {
            RenderProviders();
            _providers = true;
        }

        return Render<ProfileView>(p =>
        {
            p.Add(v => v.Profile, profile).Add(v => v.EntityId, Guid.NewGuid()).Add(v => v.Compare, compare);
            if (showPersonalData is { } show)
            {
                p.Add(v => v.ShowPersonalData, show);
            }
        });
    }

    [Fact]
    public void ForAViewerWhoMayNotSeeIt_TheNumberIsMasked()
    {
        var view = RenderView(Profile);

        var shown = view.Find("[data-testid=profile-representative-id]").TextContent;
        Assert.Contains("3501**********002X", shown, StringComparison.Ordinal);
        Assert.DoesNotContain(Number, view.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void ForTheEntitysUsersStaffAndSupervisors_TheNumberIsShownInFull()
    {
        var view = RenderView(Profile, showPersonalData: true);

        Assert.Contains(Number, view.Find("[data-testid=profile-representative-id]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void AProfileVerifiedBeforeTheNumberWasAsked_SaysNotRecorded_AndAChangeAddingItIsMarked()
    {
        var old = Profile with { LegalRepresentativeIdNumber = null };

        Assert.Contains("未登记", RenderView(old, showPersonalData: true).Find("[data-testid=profile-representative-id]").TextContent, StringComparison.Ordinal);
        var change = RenderView(Profile, showPersonalData: true, compare: old);
        Assert.NotEmpty(change.Find("[data-testid=profile-representative-id]").QuerySelectorAll("[data-testid=changed]"));
    }

    [Fact]
    public void AnEmptyAddressNoContactAndNoQualification_SayNotRecorded_NotABlankLineOrAnEmptyTable()
    {
        var bare = Profile with { RegisteredAddress = "", Contacts = [] };

        var view = RenderView(bare, showPersonalData: true);
        Assert.Equal("未登记", view.Find("[data-testid=profile-address]").TextContent.Trim());
        Assert.Equal("未登记", view.Find("[data-testid=profile-contacts]").TextContent.Trim());
        Assert.Equal("尚未登记资质。", view.Find("[data-testid=qualifications-none]").TextContent.Trim());
        var full = RenderView(Profile with { Contacts = [new Contact("李四", "13800000000", null)] }, showPersonalData: true);
        Assert.Equal("李四 · 13800000000", full.Find("[data-testid=profile-contacts]").TextContent.Trim());
    }
}

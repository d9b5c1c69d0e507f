using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Web.EngineeringConstruction;
using Trading.Workflow.Web.Forms;

namespace Trading.Workflow.Web.Components.Pages.EngineeringConstruction.Award;

/// <summary>
/// What the award fragment's task components share: the project's award read for the task's business key, who the
/// user is to it, and completing the task only through its screen (the server checks it is the user's task of that
/// component) once what the step needs is done.
/// </summary>
public abstract class AwardTaskPanel : BuiltInTaskComponentBase
{
    [Inject]
    protected AwardWeb Web { get; set; } = default!;

    [Inject]
    protected NavigationManager Navigation { get; set; } = default!;

    [Inject]
    protected IStringLocalizer<AwardResource> Text { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected ClaimsPrincipal Principal { get; private set; } = new();

    protected AwardView? View { get; private set; }

    protected AwardParty Party { get; private set; } = new(false, [], false, false);

    protected bool Loaded { get; private set; }

    protected bool Busy { get; private set; }

    protected string? Error { get; private set; }

    /// <summary>The component key of the task this panel completes.</summary>
    protected abstract string ComponentKey { get; }

    /// <summary>True when the step's work is done and the task may be completed.</summary>
    protected abstract bool Ready { get; }

    protected override async Task OnInitializedAsync()
    {
        Principal = (await AuthenticationState).User;
        await ReloadAsync();
        Loaded = true;
    }

    protected async Task ReloadAsync()
    {
        var projectId = await Web.ProjectOfAsync(Task);
        View = projectId is { } id ? await Web.Awards.GetAsync(id) : null;
        Party = View is null ? new(false, [], false, false) : await Web.PartyAsync(Principal, View.Award);
    }

    protected async Task ContinueAsync()
    {
        Busy = true;
        Error = await AwardWeb.RunAsync(Text, async () =>
        {
            await ReloadAsync();
            if (!Ready)
            {
                throw new Trading.Workflow.Domain.DomainRuleException(NotReadyRule, "The step is not done yet.");
            }

            await Web.CompleteAsync(Principal, Task.Id, ComponentKey);
            Navigation.NavigateTo("/inbox");
        });
        Busy = false;
    }

    /// <summary>The rule code shown when "continue" is pressed before the step is done.</summary>
    protected abstract string NotReadyRule { get; }
}

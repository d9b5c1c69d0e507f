using Microsoft.AspNetCore.Components;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Web.Openings;

namespace Trading.Workflow.Web.Components.Pages.Openings;

/// <summary>
/// What the host console and the bidders' room share: the session read on the server, re-rendered at once when this
/// node changes it (<see cref="OpeningChanges"/>), re-read every few seconds for changes made on another node, and a
/// countdown ticking every second on the server's clock.
/// </summary>
public abstract class OpeningLivePage : ComponentBase, IAsyncDisposable
{
    /// <summary>How often the page re-reads the session even without a change notice (another node's changes).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stop = new();
    private IDisposable? _subscription;
    private int _ticks;

    [Parameter]
    public Guid SessionId { get; set; }

    [Inject]
    protected OpeningService Openings { get; set; } = default!;

    [Inject]
    protected OpeningAccess Access { get; set; } = default!;

    [Inject]
    protected TimeProvider Time { get; set; } = default!;

    protected OpeningViewer? Viewer { get; private set; }

    protected OpeningView? View { get; private set; }

    /// <summary>False when the session is unknown or the user is not one who may watch it.</summary>
    protected bool Allowed { get; private set; }

    protected bool Loaded { get; private set; }

    /// <summary>The server's time, refreshed every second.</summary>
    protected DateTimeOffset Now { get; private set; }

    protected override async Task OnInitializedAsync()
    {
        Now = Time.GetUtcNow();
        Viewer = await Access.CurrentAsync();
        await ReloadAsync();
        Loaded = true;
        if (!Allowed)
        {
            return;
        }

        _subscription = Openings.Changes.Subscribe(SessionId, () => InvokeAsync(async () =>
        {
            await ReloadAsync();
            StateHasChanged();
        }));
        _ = TickAsync(_stop.Token);
    }

    protected async Task ReloadAsync()
    {
        var view = await Openings.GetAsync(SessionId);
        Allowed = view is not null && Viewer is not null && await MayWatchAsync(Viewer, view);
        View = Allowed ? view : null;
    }

    /// <summary>Who may watch this page (the console: the host; the room: every participant).</summary>
    protected virtual Task<bool> MayWatchAsync(OpeningViewer viewer, OpeningView view) => Access.MayWatchAsync(viewer, view);

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var poll = ++_ticks % (int)PollInterval.TotalSeconds == 0;
                await InvokeAsync(async () =>
                {
                    Now = Time.GetUtcNow();
                    if (poll)
                    {
                        await ReloadAsync();
                    }

                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public virtual async ValueTask DisposeAsync()
    {
        _subscription?.Dispose();
        await _stop.CancelAsync();
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }
}

using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using Trading.Workflow.Domain;
using MudBlazor;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Engine.Calendar;

namespace Trading.Workflow.Web.Bidding;

/// <summary>
/// The bidding room page. It runs on the server (Blazor's SignalR circuit carries every update to the browser): it
/// subscribes to the lot's feed on this node (fed by the sequencer and, across nodes, by LISTEN/NOTIFY), keeps the
/// last sequence it showed and, when an update does not follow it (a dropped subscription, a reconnect), reads what
/// it missed from the log. The countdown is computed from the server's clock on each one-second render; the
/// browser's clock is only measured (offset and round trip) and shown, never used.
/// </summary>
public sealed partial class BiddingRoom : ComponentBase, IAsyncDisposable
{
    /// <summary>A bid this many increments or more above the current price asks for confirmation.</summary>
    public const int ConfirmAboveMultiple = 5;

    private readonly CancellationTokenSource _stop = new();
    private readonly List<PublicBidEntry> _history = [];
    private IDisposable? _subscription;
    private RoomViewer? _viewer;
    private LotHeader? _header;
    private LotView? _view;
    private bool _loaded;
    private bool _busy;
    private bool _unknown;
    private string? _multipleText = "1";
    private DotNetObjectReference<BiddingRoom>? _self;
    private IJSObjectReference? _module;
    private IJSObjectReference? _buttons;
    private bool _script;
    private bool _scriptFailed;
    private decimal _offer;
    private decimal _newIncrement;
    private decimal? _confirm;
    private string? _pendingKey;
    private decimal? _pendingAmount;
    private BidAnswer? _answer;
    private int _caughtUp;
    private long _lastSequence;
    private (long Offset, long RoundTrip)? _clock;
    private Away? _away;
    private DateTimeOffset? _incrementNotice;
    private (long Sequence, decimal? Price, DateTimeOffset EndsAt)? _atDown;

    /// <summary>The bidder's standing shown above the controls: computed from the live view at each render, never kept.</summary>
    private sealed record MyStatus(string State, Severity Severity, string Text);

    /// <summary>What changed while the browser's connection was down (shown once it is back).</summary>
    private sealed record Away(DateTimeOffset Down, DateTimeOffset Up, int Bids, decimal? PriceBefore, DateTimeOffset EndBefore, bool EndMoved);

    [Parameter]
    public Guid LotId { get; set; }

    [Inject]
    private BiddingEngine Engine { get; set; } = default!;

    [Inject]
    private BiddingAccess Access { get; set; } = default!;

    [Inject]
    private AuthenticationStateProvider Authentication { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private RoomCircuit Circuit { get; set; } = default!;

    [Inject]
    private LotHeadings Headings { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        var user = (await Authentication.GetAuthenticationStateAsync()).User;
        try
        {
            var lot = await Engine.Store.FindLotAsync(LotId);
            _viewer = lot is null ? null : await Access.ViewerAsync(user, lot);
            if (_viewer is not null)
            {
                _header = await Headings.OfAsync(lot!, CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en");
                var (view, subscription) = await Engine.Feed.SubscribeAsync(LotId, OnUpdate);
                _subscription = subscription;
                Show(view);
                Circuit.Changed += OnConnectionChanged;
                _ = TickAsync();
            }
        }
        catch (DomainRuleException e) when (e.RuleCode == BiddingRules.LotUnknown)
        {
            _viewer = null;
        }

        _loaded = true;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && _viewer is not null)
        {
            if (_viewer.CanBid)
            {
                await AttachButtonsAsync();
            }

            await MeasureClockAsync();
        }
    }

    /// <summary>The bid buttons' script: it answers a click with what the button showed (<c>wwwroot/js/bidding-room.js</c>).</summary>
    private async Task AttachButtonsAsync()
    {
        try
        {
            _self ??= DotNetObjectReference.Create(this);
            _module = await JS.InvokeAsync<IJSObjectReference>("import", _stop.Token, "./js/bidding-room.js");
            _buttons = _module is null ? null : await _module.InvokeAsync<IJSObjectReference>("attach", _stop.Token, LotId.ToString("D"), _self);
            _script = _buttons is not null;
            _scriptFailed = !_script;
        }
        catch (Exception e) when (e is JSException or JSDisconnectedException or TaskCanceledException or InvalidOperationException)
        {
            _scriptFailed = e is JSException;
        }

        StateHasChanged();
    }

    /// <summary>
    /// A typed multiple of the increment: a whole number of 1 or more, digits only (0, -2, 1.5, "abc" are not one);
    /// null when the text is not one (the page says so and sends nothing).
    /// </summary>
    public static int? ParseMultiple(string? text) =>
        int.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var multiple) && multiple >= 1 ? multiple : null;

    /// <summary>
    /// A click on a bid button, as the browser showed it: <paramref name="kind"/> "next" bids the next valid price the
    /// button showed; "multiple" that price plus (multiple − 1) increments as shown (minus, in a reverse auction). The
    /// price is never re-read from the server's newer state: if someone bid meanwhile, the engine refuses the bid as
    /// below the next valid price, and the user sees why. A multiple that is not a whole number of 1 or more is refused
    /// here, before anything is sent.
    /// </summary>
    [JSInvokable]
    public Task BidAsShown(string kind, string next, string increment, string multiple) => InvokeAsync(async () =>
    {
        if (_view is not { } view || _viewer is not { CanBid: true })
        {
            return;
        }

        if (!TryAmount(next, out var shownNext) || !TryAmount(increment, out var shownIncrement))
        {
            Refuse(T["Room.ScriptMissing"]);
        }
        else if (kind == "next")
        {
            await BidAsync(shownNext);
        }
        else if (kind == "multiple")
        {
            if (ParseMultiple(multiple) is not { } m)
            {
                _multipleText = multiple;
                Refuse(T["Room.BadMultiple"]);
            }
            else
            {
                var step = shownIncrement * (m - 1);
                await AskAsync(view.Mode == BiddingMode.Descending ? shownNext - step : shownNext + step);
            }
        }

        StateHasChanged();
    });

    private static bool TryAmount(string text, out decimal amount) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out amount) && amount > 0;

    /// <summary>A bid the page itself refuses (nothing is sent): shown like the server's refusals.</summary>
    private void Refuse(string message)
    {
        _confirm = null;
        _answer = new BidAnswer(false, null, message, 0, 0, _view?.CurrentPrice, _view?.NextValidPrice, _view?.EndsAt ?? default, Time.GetUtcNow(), false);
    }

    private static string Invariant(decimal? amount) => amount is { } a ? BidLogEntry.FormatAmount(a) : string.Empty;

    private void Show(LotView view)
    {
        _view = view;
        _lastSequence = view.LastSequence;
        _history.Clear();
        _history.AddRange(view.History.Reverse());
        _newIncrement = view.Increment;
    }

    // The feed calls from its own thread; the page's state (the history the render enumerates) changes only on the
    // renderer's dispatcher, or a bid arriving during a render broke it ("collection was modified").
    private void OnUpdate(LotUpdate update) => _ = InvokeAsync(() => ApplyAsync(update));

    private async Task ApplyAsync(LotUpdate update)
    {
        if (update.Entries.Count == 0 || update.Entries[0].Sequence != _lastSequence + 1)
        {
            await CatchUpAsync();
            return;
        }

        Take(update.Entries);
        _view = update.View with { History = _view?.History ?? [] };
        StateHasChanged();
    }

    /// <summary>
    /// The browser's connection went down or came back. The page kept every update meanwhile (it lives on the server);
    /// once back, it tells the user what moved: the bids made, the price and the end before and now.
    /// </summary>
    private void OnConnectionChanged(bool down, DateTimeOffset since) => _ = InvokeAsync(() =>
    {
        if (down)
        {
            _atDown ??= (_lastSequence, _view?.CurrentPrice, _view?.EndsAt ?? default);
            return;
        }

        if (_atDown is { } before)
        {
            var bids = _history.Count(e => e.Sequence > before.Sequence);
            var endsAt = _view?.EndsAt ?? before.EndsAt;
            _away = new Away(since, Time.GetUtcNow(), bids, before.Price, before.EndsAt, endsAt != before.EndsAt);
            _atDown = null;
        }

        StateHasChanged();
    });

    private void Take(IEnumerable<PublicBidEntry> entries)
    {
        foreach (var entry in entries.Where(e => e.Sequence > _lastSequence))
        {
            _lastSequence = entry.Sequence;
            if (entry.Kind == BidLogKind.IncrementChanged)
            {
                _incrementNotice = entry.At;
            }

            if (entry.Kind == BidLogKind.Bid && entry.Accepted)
            {
                _history.Insert(0, entry);
            }
        }

        if (_history.Count > BidFeed.HistoryLength * 4)
        {
            _history.RemoveRange(BidFeed.HistoryLength * 4, _history.Count - BidFeed.HistoryLength * 4);
        }
    }

    /// <summary>What happened while the page was not receiving: read from the log after the last sequence shown.</summary>
    private async Task CatchUpAsync()
    {
        var missed = await Engine.Feed.SinceAsync(LotId, _lastSequence, _stop.Token);
        var view = await Engine.Feed.ViewAsync(LotId, _stop.Token);
        var before = _lastSequence;
        Take(missed);
        _caughtUp += (int)(_lastSequence - before);
        _view = view with { History = [] };
        StateHasChanged();
    }

    private async Task TickAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), Time);
        var ticks = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                if (++ticks % 10 == 0)
                {
                    await MeasureClockAsync();
                }

                await InvokeAsync(StateHasChanged);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The browser's clock against the server's: offset and round trip, shown to the user (the countdown stays on the server's clock).</summary>
    private async Task MeasureClockAsync()
    {
        try
        {
            var sent = Time.GetUtcNow();
            var client = await JS.InvokeAsync<double>("Date.now", _stop.Token);
            var received = Time.GetUtcNow();
            var roundTrip = (received - sent).TotalMilliseconds;
            var serverAtClient = sent.ToUnixTimeMilliseconds() + roundTrip / 2;
            _clock = ((long)Math.Round(client - serverAtClient), (long)Math.Round(roundTrip));
            await InvokeAsync(StateHasChanged);
        }
        catch (Exception e) when (e is JSDisconnectedException or JSException or TaskCanceledException or InvalidOperationException)
        {
            // prerendering or a closed circuit: measured at the next render
        }
    }

    /// <summary>
    /// The bidder's standing now: leading, outbid (by which number, at what price), the sealed offer made, or, once
    /// closed, won or lost. Read from the live view at each render, so it follows every update (an accepted answer
    /// newer than the view counts as leading until the view catches up).
    /// </summary>
    private MyStatus StatusOf(LotView view)
    {
        var me = _viewer!.BidderNumber;
        var mine = _history.Where(e => e.BidderNumber == me).ToList();
        if (view.Phase == LotPhase.Closed)
        {
            return view.Outcome switch
            {
                { Sold: true } o when o.WinnerNumber == me => new("won", Severity.Success, T["Room.Status.Won", me!, Money(o.Price)]),
                { Sold: true } o => new("lost", Severity.Info, T["Room.Status.Lost", o.WinnerNumber!, Money(o.Price)]),
                { } o => new("no-sale", Severity.Info, T["Room.Status.NoSale", T[$"NoSale.{o.NoSaleReason}"]]),
                _ => new("closed", Severity.Info, T["Phase.Closed"]),
            };
        }

        if (view.Phase == LotPhase.CalledOff)
        {
            return new("called-off", Severity.Warning, T["Room.Status.CalledOff"]);
        }

        if (view.Phase == LotPhase.Shelved)
        {
            return new("shelved", Severity.Warning, T["Room.Status.Shelved"]);
        }

        if (view.Phase == LotPhase.Scheduled)
        {
            return new("scheduled", Severity.Info, T["Room.Status.Scheduled"]);
        }

        var sealedOffer = view.Mode == BiddingMode.Sealed || view.Phase == LotPhase.SealedRound;
        if (sealedOffer)
        {
            var offered = mine.Any(e => e.Amount is null) || _answer is { Accepted: true } a && a.Sequence > view.LastSequence;
            return offered ? new("offered", Severity.Success, T["Room.Status.Offered"])
                : view.Phase == LotPhase.SealedRound && view.CapBidders.Contains(me!.Value) ? new("at-cap", Severity.Info, T["Room.Status.AtCap"])
                : new("no-offer", Severity.Info, T["Room.Status.NoOffer"]);
        }

        if (view.Phase == LotPhase.CapMatch && view.CapBidders.Contains(me!.Value))
        {
            return new("at-cap", Severity.Info, T["Room.Status.AtCap"]);
        }

        if (_answer is { Accepted: true } answer && answer.Sequence > view.LastSequence || view.LeaderNumber == me && me is not null)
        {
            var price = _answer is { Accepted: true } fresh && fresh.Sequence > view.LastSequence ? fresh.Amount : view.CurrentPrice;
            return new("leading", Severity.Success, T["Room.Status.Leading", Money(price)]);
        }

        if (view.LeaderNumber is not { } leader)
        {
            return new("no-bids", Severity.Info, T["Room.Status.NoBids", Money(view.NextValidPrice)]);
        }

        return mine.Count > 0 || _answer is { Accepted: true }
            ? new("outbid", Severity.Warning, T["Room.Status.Outbid", leader, Money(view.CurrentPrice)])
            : new("not-leading", Severity.Info, T["Room.Status.Leader", leader, Money(view.CurrentPrice)]);
    }

    /// <summary>The multiple button's words: the total price bid, then how many increments above (below, in reverse) the current price.</summary>
    private string MultipleLabel(LotView view, int multiple)
    {
        var key = (view.Mode == BiddingMode.Descending ? "Room.BidMultipleDown" : "Room.BidMultiple") + (multiple == 1 ? "One" : "");
        return T[key, Money(AmountFor(view, multiple)), multiple];
    }

    private decimal AmountFor(LotView view, int multiple)
    {
        var next = view.NextValidPrice ?? view.StartPrice;
        var step = view.Increment * Math.Max(0, multiple - 1);
        return view.Mode == BiddingMode.Descending ? next - step : next + step;
    }

    private static int JumpOf(LotView view, decimal amount) =>
        (int)Math.Abs((amount - (view.CurrentPrice ?? view.StartPrice)) / view.Increment);

    private Task AskAsync(decimal amount)
    {
        if (_view is { } view && JumpOf(view, amount) >= ConfirmAboveMultiple)
        {
            _confirm = amount;
            return Task.CompletedTask;
        }

        return BidAsync(amount);
    }

    private async Task BidAsync(decimal amount)
    {
        _confirm = null;
        _busy = true;
        // The same intended bid keeps its key until answered: a retry after a dropped answer cannot bid twice.
        if (_pendingKey is null || _pendingAmount != amount)
        {
            _pendingKey = Guid.NewGuid().ToString("N");
            _pendingAmount = amount;
        }

        try
        {
            var viewer = await Access.ViewerAsync((await Authentication.GetAuthenticationStateAsync()).User, LotId);
            if (viewer is not { CanBid: true })
            {
                return;
            }

            _answer = await BiddingEndpoints.BidAsync(Engine, T, LotId, viewer.BidderNumber!.Value, amount, _pendingKey);
            _unknown = false;
            _pendingKey = null;
            _pendingAmount = null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _unknown = true;
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task ChangeIncrementAsync()
    {
        _busy = true;
        try
        {
            await Engine.ChangeIncrementAsync(LotId, _newIncrement, _view?.AllowedMultiples ?? []);
        }
        catch (DomainRuleException e)
        {
            _answer = new BidAnswer(false, e.RuleCode, T[$"Rule.{e.RuleCode}"], 0, 0, null, null, default, default, false);
        }
        finally
        {
            _busy = false;
        }
    }

    private static string Money(decimal? amount) => amount?.ToString("N2", CultureInfo.CurrentCulture) ?? "—";

    private static string Local(DateTimeOffset at) => ChinaStandardTime.ToChina(at).ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static string LocalDate(DateTimeOffset at) => ChinaStandardTime.ToChina(at).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string LocalTime(DateTimeOffset at) => ChinaStandardTime.ToChina(at).ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static string Remaining(TimeSpan left)
    {
        if (left < TimeSpan.Zero)
        {
            left = TimeSpan.Zero;
        }

        return left.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)left.TotalHours}:{left.Minutes:00}:{left.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{left.Minutes:00}:{left.Seconds:00}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_buttons is not null)
            {
                await _buttons.InvokeVoidAsync("dispose");
                await _buttons.DisposeAsync();
            }

            if (_module is not null)
            {
                await _module.DisposeAsync();
            }
        }
        catch (Exception e) when (e is JSDisconnectedException or JSException or TaskCanceledException)
        {
            // the circuit is gone: so is the page's listener
        }

        _self?.Dispose();
        _subscription?.Dispose();
        Circuit.Changed -= OnConnectionChanged;
        await _stop.CancelAsync();
        _stop.Dispose();
    }
}

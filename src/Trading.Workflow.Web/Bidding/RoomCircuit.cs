using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Trading.Workflow.Web.Bidding;

/// <summary>
/// The state of this browser's connection to its circuit, as the server sees it (one per circuit): the room page
/// listens to it to say, once the connection is back, what happened while the browser could not receive (a dropped
/// network, a sleeping laptop). The server-side page kept receiving the lot's updates meanwhile, so nothing is lost;
/// the user must still be told that the price and the end may have moved under them.
/// </summary>
public sealed class RoomCircuit(TimeProvider time) : CircuitHandler
{
    public bool IsUp { get; private set; } = true;

    public DateTimeOffset? DownSince { get; private set; }

    /// <summary>Raised on the circuit's connection going down (true) and coming back (false: with the instant it went down).</summary>
    public event Action<bool, DateTimeOffset>? Changed;

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        IsUp = false;
        var at = time.GetUtcNow();
        DownSince = at;
        Changed?.Invoke(true, at);
        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (!IsUp)
        {
            IsUp = true;
            Changed?.Invoke(false, DownSince ?? time.GetUtcNow());
        }

        return Task.CompletedTask;
    }
}

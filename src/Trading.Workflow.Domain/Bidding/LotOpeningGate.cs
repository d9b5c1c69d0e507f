namespace Trading.Workflow.Domain.Bidding;

/// <summary>A lot about to leave <see cref="LotPhase.Scheduled"/>, as the opening gates see it.</summary>
public sealed record LotOpening(Guid LotId, Guid? SectionId, Guid? ProjectId, string Title, DateTimeOffset Opens);

/// <summary>A lot a gate kept from opening: shelved with the gate's reason; <see cref="Sequence"/>/<see cref="Hash"/> name the Shelved entry.</summary>
public sealed record LotShelvedAtOpening(Guid LotId, Guid? SectionId, Guid? ProjectId, string Reason, long Sequence, string Hash, DateTimeOffset At);

/// <summary>
/// The opening hook for trade slices, the mirror of <see cref="ILotClosedHandler"/>: every implementation registered in
/// DI (<c>services.TryAddEnumerable(ServiceDescriptor.Singleton&lt;ILotOpeningGate, MyGate&gt;())</c>) is asked by the lot's
/// writer, under the lot's row lock, before any command moves a lot from <see cref="LotPhase.Scheduled"/> to open (the
/// timer's tick, or a bid or admission that arrives first). One refusal and the lot is shelved instead, its Shelved
/// entry logged in the same transaction, so no node ever logs it opening and a restart finds it shelved. A gate that
/// throws fails the batch: the lot stays scheduled and the tick is retried, never opened unasked. No gate: unchanged.
/// </summary>
public interface ILotOpeningGate
{
    /// <summary>Null when the lot may open; otherwise the reason it is shelved (a stable code, e.g. <c>grants.notice.unpublished</c>).</summary>
    Task<string?> RefusalAsync(LotOpening lot, CancellationToken cancellationToken);

    /// <summary>
    /// Called on the gate that refused, once the Shelved entry committed (at most once: a crash in between loses the
    /// call, the shelving stands). For the slice's own records; a failure is logged and changes nothing.
    /// </summary>
    Task OnShelvedAsync(LotShelvedAtOpening shelved, CancellationToken cancellationToken) => Task.CompletedTask;
}

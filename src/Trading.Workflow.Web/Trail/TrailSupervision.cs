using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Store;

namespace Trading.Workflow.Web.Trail;

/// <summary>Both chains checked at one moment: the trade trail and the engine's history of every instance.</summary>
public sealed record TrailVerificationReport(ChainVerification Trade, HistoryChainSummary Engine, DateTimeOffset CheckedAt)
{
    public bool IsIntact => Trade.IsIntact && Engine.IsIntact;
}

/// <summary>What the supervisors' trail page reads: the verification of both chains and the audit log, a page at a time.</summary>
public interface ITrailSupervision
{
    Task<TrailVerificationReport> VerifyAsync(CancellationToken cancellationToken = default);

    Task<AuditLogPage> QueryLogAsync(AuditLogFilter filter, int skip, int take, CancellationToken cancellationToken = default);
}

internal sealed class TrailSupervision(AuditTrailVerifier trade, HistoryChainVerifier engine, AuditLog log, TimeProvider time) : ITrailSupervision
{
    public async Task<TrailVerificationReport> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        return new TrailVerificationReport(await trade.VerifyAsync(cancellationToken), await engine.VerifyAllAsync(cancellationToken: cancellationToken), now);
    }

    public Task<AuditLogPage> QueryLogAsync(AuditLogFilter filter, int skip, int take, CancellationToken cancellationToken = default) =>
        log.QueryAsync(filter, skip, take, cancellationToken);
}

public static class TrailSupervisionServiceCollectionExtensions
{
    /// <summary>The supervisors' trail page's reader.</summary>
    public static IServiceCollection AddTrailSupervision(this IServiceCollection services)
    {
        services.AddScoped<ITrailSupervision, TrailSupervision>();
        return services;
    }
}

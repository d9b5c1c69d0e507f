using Trading.Workflow.Engine.Quartz;

namespace Trading.Workflow.Engine.Quartz.ClusterHost;

/// <summary>The settings every node and the scheduling client share.</summary>
public static class ClusterNode
{
    public static void Configure(QuartzTimerOptions o, string connectionString, string node, int threads, bool engineBacked)
    {
        o.Provider = QuartzStoreProvider.PostgreSql;
        o.ConnectionString = connectionString;
        o.Clustered = true;
        o.InstanceId = node;
        o.MaxConcurrency = threads;
        o.MaxBatchSize = threads;
        o.IdleWaitTime = TimeSpan.FromSeconds(1);
        o.ClusterCheckinInterval = TimeSpan.FromSeconds(1);
        o.ClusterCheckinMisfireThreshold = TimeSpan.FromSeconds(2);
        o.MisfireThreshold = TimeSpan.FromSeconds(60);
        // The counting dispatcher has no engine state to reconcile against; the engine-backed node reconciles as in production.
        o.ReconcileOnStart = engineBacked;
        o.ReconcileInterval = TimeSpan.Zero;
    }
}

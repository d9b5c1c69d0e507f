using Npgsql;
using Trading.Workflow.Engine.Persistence.Data;

namespace Trading.Workflow.Engine.Persistence.Tests.Store;

/// <summary>The store's PostgreSQL connection defaults, and that a connection string's own settings win.</summary>
public sealed class PostgresDefaultsTests
{
    [Fact]
    public void Defaults_AutoPrepareAndNoResetOnClose()
    {
        var builder = new NpgsqlConnectionStringBuilder(WorkflowDatabase.WithPostgresDefaults("Host=db;Username=u"));

        Assert.Equal(256, builder.MaxAutoPrepare);
        Assert.Equal(2, builder.AutoPrepareMinUsages);
        Assert.True(builder.NoResetOnClose);
    }

    [Fact]
    public void TheConnectionStringsOwnSettings_AreKept()
    {
        var builder = new NpgsqlConnectionStringBuilder(
            WorkflowDatabase.WithPostgresDefaults("Host=db;Username=u;maxautoprepare=0;No Reset On Close=false"));

        Assert.Equal(0, builder.MaxAutoPrepare);
        Assert.False(builder.NoResetOnClose);
        Assert.Equal(10, new NpgsqlConnectionStringBuilder(WorkflowDatabase.WithPostgresDefaults("Host=db;Max Auto Prepare=10")).MaxAutoPrepare);
    }
}

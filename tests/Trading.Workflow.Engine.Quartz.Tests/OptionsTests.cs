using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Trading.Workflow.Engine.Quartz.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void AddQuartzTimers_WhenSqliteIsAskedToCluster_FailsNamingTheSetting()
    {
        var services = new ServiceCollection();

        var error = Assert.Throws<OptionsValidationException>(() => services.AddQuartzTimers(o =>
        {
            o.ConnectionString = "Data Source=x.db";
            o.Clustered = true;
        }));

        Assert.Contains("Workflow:Quartz:Clustered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddQuartzTimers_WithoutAConnectionString_FailsNamingTheSetting()
    {
        var services = new ServiceCollection();

        var error = Assert.Throws<OptionsValidationException>(() => services.AddQuartzTimers(_ => { }));

        Assert.Contains("Workflow:Quartz:ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(3, 40)]
    [InlineData(10, 60)]
    public void RetryDelay_GrowsByTheMultiplierUpToTheMaximum(int attempt, int expectedSeconds)
    {
        var options = new QuartzTimerOptions
        {
            JobRetryInitialDelay = TimeSpan.FromSeconds(10),
            JobRetryBackoffMultiplier = 2,
            JobRetryMaxDelay = TimeSpan.FromSeconds(60),
        };

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), options.RetryDelay(attempt));
    }

    [Fact]
    public void PostgreSql_IsClusteredByDefault()
    {
        var options = new QuartzTimerOptions { Provider = QuartzStoreProvider.PostgreSql };

        Assert.True(options.IsClustered);
    }
}

using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Hosting;

public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("Accounts:Lockout:MaxFailedAccessAttempts", "0")]
    [InlineData("Accounts:Password:RequiredLength", "2")]
    [InlineData("Localization:DefaultCulture", "fr-FR")]
    public async Task Start_WithOutOfRangeSetting_FailsNamingTheSetting(string key, string value)
    {
        await using var factory = new PlatformFactory(new Dictionary<string, string?> { [key] = value });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains(key, Flatten(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithPostgreSqlAndNoConnectionString_FailsNamingConnectionString()
    {
        await using var factory = new PlatformFactory(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "PostgreSql",
            ["Database:ConnectionString"] = "",
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Database:ConnectionString", Flatten(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithUnknownProvider_FailsNamingProvider()
    {
        await using var factory = new PlatformFactory(new Dictionary<string, string?> { ["Database:Provider"] = "Oracle" });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Database:Provider", Flatten(error), StringComparison.Ordinal);
    }

    private static string Flatten(Exception error)
    {
        var messages = new List<string>();
        for (Exception? current = error; current is not null; current = current.InnerException)
        {
            messages.Add(current.Message);
            if (current is AggregateException aggregate)
            {
                messages.AddRange(aggregate.InnerExceptions.Select(Flatten));
            }
        }

        return string.Join(" | ", messages);
    }
}

using System.Data.Common;
using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Schema;

/// <summary>
/// The app's own schema scripts on a real database: an old (version 1) database with accounts upgrades
/// at start without losing them, and the scripted schema matches what the EF model expects.
/// </summary>
public abstract class AppSchemaContract
{
    private const string OldUserId = "7f0c7d4e-0000-4000-8000-000000000001";
    private const string OldPassword = "Old@Pass2024";

    protected abstract DatabaseProvider Provider { get; }

    protected abstract DbConnection CreateConnection();

    /// <summary>Settings that point the app at the database behind <see cref="CreateConnection"/>.</summary>
    protected abstract Dictionary<string, string?> AppSettings();

    protected abstract PlatformFactory CreateFactory(Dictionary<string, string?> settings);

    protected abstract DbContextOptions<AppDbContext> ModelOnlyDatabase();

    protected abstract Task<IReadOnlyList<string>> DescribeSchemaAsync(DbConnection connection);

    private static SchemaMigrator Migrator() => new(TimeProvider.System, NullLogger<SchemaMigrator>.Instance);

    [Fact]
    public async Task Start_OnVersion1DatabaseWithAccount_UpgradesToLatestKeepingTheAccount()
    {
        await SeedVersion1WithAccountAsync();

        await using var factory = CreateFactory(AppSettings());
        factory.CreateClient();

        await using var connection = CreateConnection();
        Assert.Equal(WebSchemaScripts.For(Provider).LatestVersion, await Migrator().GetVersionAsync(connection, Provider, WebSchemaScripts.Module));
        using var scope = factory.Services.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByNameAsync("old.bidder");
        Assert.NotNull(user);
        Assert.Equal(OldUserId, user.Id);
        Assert.Null(user.CentreId);
    }

    [Fact]
    public async Task Start_OnVersion1DatabaseWithAccount_AccountSignsInWithItsOldPassword()
    {
        await SeedVersion1WithAccountAsync();

        await using var factory = CreateFactory(AppSettings());
        var response = await factory.CreateNoRedirectClient().PostLoginAsync("old.bidder", OldPassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task Start_OnVersion1DatabaseWithAccount_AddsNoDemoAccounts()
    {
        await SeedVersion1WithAccountAsync();

        await using var factory = CreateFactory(AppSettings());
        factory.CreateClient();

        using var scope = factory.Services.CreateScope();
        Assert.Null(await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByNameAsync("admin"));
    }

    [Fact]
    public async Task Start_OnEmptyDatabase_CreatesLatestSchemaAndDemoAccounts()
    {
        await using var factory = CreateFactory(AppSettings());
        factory.CreateClient();

        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        foreach (var (userName, role, _) in DemoDataSeeder.DemoAccounts)
        {
            var user = await users.FindByNameAsync(userName);
            Assert.NotNull(user);
            Assert.True(await users.IsInRoleAsync(user, role));
        }
    }

    [Fact]
    public async Task Scripts_ProduceTheSchemaTheEfModelDescribes()
    {
        await using var scripted = CreateConnection();
        await Migrator().UpgradeAsync(scripted, WebSchemaScripts.For(Provider));
        await using var modelDb = new AppDbContext(ModelOnlyDatabase());
        await modelDb.Database.EnsureCreatedAsync();

        var expected = await DescribeSchemaAsync(modelDb.Database.GetDbConnection());
        var actual = (await DescribeSchemaAsync(scripted)).Where(line => !line.Contains("__schema_history", StringComparison.Ordinal)).ToList();

        Assert.Equal(expected, actual);
    }

    private async Task SeedVersion1WithAccountAsync()
    {
        await using var connection = CreateConnection();
        await Migrator().UpgradeAsync(connection, WebSchemaScripts.For(Provider), targetVersion: 1);
        var user = new AppUser { Id = OldUserId, UserName = "old.bidder" };
        var hash = new PasswordHasher<AppUser>().HashPassword(user, OldPassword);
        await connection.OpenAsync();
        await ExecuteAsync(connection, """
            INSERT INTO "AspNetRoles" ("Id", "Name", "NormalizedName", "ConcurrencyStamp") VALUES ('role-bidder', 'Bidder', 'BIDDER', 'x');
            """);
        await ExecuteAsync(connection, """
            INSERT INTO "AspNetUsers" ("Id", "UserName", "NormalizedUserName", "Email", "NormalizedEmail", "EmailConfirmed",
                "PasswordHash", "SecurityStamp", "ConcurrencyStamp", "PhoneNumber", "PhoneNumberConfirmed", "TwoFactorEnabled",
                "LockoutEnd", "LockoutEnabled", "AccessFailedCount")
            VALUES (@id, 'old.bidder', 'OLD.BIDDER', NULL, NULL, @no, @hash, 'STAMP0001', 'c1', NULL, @no, @no, NULL, @yes, 0);
            """, ("@id", OldUserId), ("@hash", hash), ("@no", false), ("@yes", true));
        await ExecuteAsync(connection, """INSERT INTO "AspNetUserRoles" ("UserId", "RoleId") VALUES (@id, 'role-bidder');""", ("@id", OldUserId));
        await connection.CloseAsync();
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        await command.ExecuteNonQueryAsync();
    }

    protected static async Task<IReadOnlyList<string>> QueryLinesAsync(DbConnection connection, string sql)
    {
        var wasOpen = connection.State == System.Data.ConnectionState.Open;
        if (!wasOpen)
        {
            await connection.OpenAsync();
        }

        var lines = new List<string>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                lines.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
            }
        }

        if (!wasOpen)
        {
            await connection.CloseAsync();
        }

        return lines;
    }
}

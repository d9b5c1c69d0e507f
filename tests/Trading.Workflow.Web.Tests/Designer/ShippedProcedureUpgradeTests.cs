using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Versions;
using Trading.Workflow.Testing;
using Trading.Workflow.Web.Designer;
using Trading.Workflow.Web.Tests.Infrastructure;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Tests.Designer;

/// <summary>
/// A release that changes a shipped procedure file, on a database that already runs the old one: start the app,
/// change the file, start it again. The change waits as a draft for an administrator; the version projects run on
/// stays the newest published one until the administrator publishes.
/// </summary>
public abstract class ShippedProcedureUpgradeTests : IAsyncLifetime
{
    private static readonly XNamespace Bpmn = BpmnNamespaces.Model;
    private readonly string _workflows = Directory.CreateTempSubdirectory("tw-shipped-").FullName;
    private readonly string _dataFolder = Directory.CreateTempSubdirectory("tw-shipped-data-").FullName;
    private string _file = default!;
    private string _processId = default!;
    private string _taskId = default!;

    protected abstract IDictionary<string, string?> DatabaseSettings { get; }

    public virtual async Task InitializeAsync()
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, "workflows");
        foreach (var source in Directory.EnumerateFiles(shipped, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_workflows, Path.GetRelativePath(shipped, source));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
        }

        _file = Directory.EnumerateFiles(_workflows, "*.bpmn", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        var document = XDocument.Parse(await File.ReadAllTextAsync(_file));
        var process = document.Root!.Elements(Bpmn + "process").First(p => (string?)p.Attribute("isExecutable") == "true");
        _processId = (string)process.Attribute("id")!;
        _taskId = (string)process.Elements(Bpmn + "userTask").First().Attribute("id")!;
    }

    public virtual Task DisposeAsync()
    {
        Directory.Delete(_workflows, recursive: true);
        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    private PlatformFactory Start()
    {
        var settings = new Dictionary<string, string?>(DatabaseSettings)
        {
            [$"{PlatformWorkflowOptions.SectionName}:ProceduresFolder"] = _workflows,
        };
        var app = new PlatformFactory(settings, dataFolder: _dataFolder);
        _ = app.Server;
        return app;
    }

    /// <summary>What a release changes in the shipped file: the first user task's name.</summary>
    private async Task ChangeShippedFileAsync(string newName)
    {
        var document = XDocument.Parse(await File.ReadAllTextAsync(_file), LoadOptions.PreserveWhitespace);
        var task = document.Descendants(Bpmn + "userTask").First(t => (string?)t.Attribute("id") == _taskId);
        task.SetAttributeValue("name", newName);
        await File.WriteAllTextAsync(_file, document.ToString(SaveOptions.DisableFormatting));
    }

    [Fact]
    public async Task Restart_AfterTheShippedFileChanged_OffersItAsADraftAndKeepsTheRunningVersion()
    {
        await using (var first = Start())
        {
            Assert.Equal(1, (await Versions(first).GetVersionsAsync(_processId)).Count(v => v.Version is not null));
        }

        await ChangeShippedFileAsync("发布后修订的任务 / revised task");

        await using (var second = Start())
        {
            var all = await Versions(second).GetVersionsAsync(_processId);
            Assert.Equal([1], all.Where(v => v.Version is not null).Select(v => v.Version!.Value));
            var draft = Assert.Single(all, v => v.State == DefinitionState.Draft);
            Assert.Equal(ShippedProcedureUpdates.ShippedUser, draft.CreatedBy);
            Assert.Contains("revised task", await Versions(second).GetXmlAsync(_processId, null));
            Assert.DoesNotContain("revised task", await Versions(second).GetXmlAsync(_processId, 1));

            var update = Assert.Single(await Updates(second).ListPendingAsync());
            Assert.Equal(_processId, update.ProcessId);
            Assert.True(update.SavedAsDraft);
            Assert.Equal(1, update.LatestVersion);
            var change = Assert.Single(update.Changes);
            Assert.Equal((_taskId, ElementChangeKind.Changed), (change.ElementId, change.Kind));
        }

        // Starting again with the same file offers nothing new and publishes nothing.
        await using (var third = Start())
        {
            Assert.Single(await Updates(third).ListPendingAsync());
            Assert.Equal(1, (await Versions(third).GetVersionsAsync(_processId)).Count(v => v.Version is not null));

            // The administrator publishes the draft from the designer: the update is settled.
            var version = await third.Services.GetRequiredService<IProcedureCatalog>().PublishAsync(_processId, "admin", "采纳平台更新");
            Assert.Equal(2, version);
            Assert.Empty(await Updates(third).ListPendingAsync());
        }

        await using (var fourth = Start())
        {
            Assert.Empty(await Updates(fourth).ListPendingAsync());
            Assert.Null(await Versions(fourth).GetXmlAsync(_processId, null));
        }
    }

    [Fact]
    public async Task Restart_WithAnAdministratorsDraft_LeavesTheDraftAndWaitsUntilLoaded()
    {
        await using (var first = Start())
        {
            var v1 = (await Versions(first).GetXmlAsync(_processId, 1))!;
            var document = XDocument.Parse(v1);
            document.Descendants(Bpmn + "userTask").First(t => (string?)t.Attribute("id") == _taskId).SetAttributeValue("name", "管理员的修改");
            await Versions(first).SaveDraftAsync(document.ToString(), "admin");
        }

        await ChangeShippedFileAsync("平台的修改");

        await using var second = Start();
        var draft = Assert.Single(await Versions(second).GetVersionsAsync(_processId), v => v.State == DefinitionState.Draft);
        Assert.Equal("admin", draft.CreatedBy);
        Assert.Contains("管理员的修改", await Versions(second).GetXmlAsync(_processId, null));
        var update = Assert.Single(await Updates(second).ListPendingAsync());
        Assert.False(update.SavedAsDraft);
        Assert.True(update.OtherDraftInTheWay);

        await Updates(second).LoadAsDraftAsync(_processId);

        Assert.Contains("平台的修改", await Versions(second).GetXmlAsync(_processId, null));
        Assert.True(Assert.Single(await Updates(second).ListPendingAsync()).SavedAsDraft);
    }

    [Fact]
    public async Task Dismiss_ClearsTheNoticeAndKeepsTheVersions()
    {
        await using (Start())
        {
        }

        await ChangeShippedFileAsync("被忽略的修改");
        await using (var second = Start())
        {
            await Updates(second).DismissAsync(_processId, "admin");
            Assert.Empty(await Updates(second).ListPendingAsync());
        }

        await using var third = Start();
        Assert.Empty(await Updates(third).ListPendingAsync());
        Assert.Equal(1, (await Versions(third).GetVersionsAsync(_processId)).Count(v => v.Version is not null));
    }

    private static ProcessVersionService Versions(PlatformFactory app) => app.Services.GetRequiredService<ProcessVersionService>();

    private static ShippedProcedureUpdates Updates(PlatformFactory app) => app.Services.GetRequiredService<ShippedProcedureUpdates>();
}

public sealed class SqliteShippedProcedureUpgradeTests : ShippedProcedureUpgradeTests
{
    protected override IDictionary<string, string?> DatabaseSettings => new Dictionary<string, string?>();
}

public sealed class PostgreSqlShippedProcedureUpgradeTests : ShippedProcedureUpgradeTests
{
    private readonly PostgresTestDatabase _database = new();

    protected override IDictionary<string, string?> DatabaseSettings => new Dictionary<string, string?>
    {
        ["Database:Provider"] = "PostgreSql",
        ["Database:ConnectionString"] = _database.ConnectionString,
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await _database.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _database.DisposeAsync();
        await base.DisposeAsync();
    }
}

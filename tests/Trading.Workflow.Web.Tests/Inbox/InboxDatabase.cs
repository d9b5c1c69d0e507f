using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Trading.Workflow.Engine.Persistence;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Quartz;
using Trading.Workflow.Engine.Quartz.Reminders;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Tests.Inbox;

/// <summary>
/// A real workflow database in a temporary SQLite file with the real <see cref="InboxQueries"/> over it, on a fixed
/// clock; tests add the tasks they need, the way the engine stores them (task row plus inbox index rows).
/// </summary>
public sealed class InboxDatabase : IAsyncDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(8));

    private readonly string _folder = Directory.CreateTempSubdirectory("tw-inbox-ui-").FullName;

    private InboxDatabase()
    {
    }

    public WorkflowDatabase Database { get; private set; } = default!;

    public TimeProvider Clock { get; } = new MovableTimeProvider(Now);

    public TaskDueStateEvaluator DueStates { get; private set; } = default!;

    public InboxQueries Queries { get; private set; } = default!;

    public Trading.Workflow.Domain.Projects.ProjectLookup Projects { get; private set; } = default!;

    public static async Task<InboxDatabase> CreateAsync()
    {
        var inbox = new InboxDatabase();
        var options = Options.Create(new WorkflowPersistenceOptions { ConnectionString = $"Data Source={Path.Combine(inbox._folder, "inbox.db")}" });
        var migrator = new SchemaMigrator(TimeProvider.System, NullLogger<SchemaMigrator>.Instance);
        inbox.Database = new WorkflowDatabase(options, migrator);
        await inbox.Database.UpgradeSchemaAsync();
        await using (var connection = (SqliteConnection)await inbox.Database.OpenConnectionAsync())
        {
            await migrator.UpgradeAsync(connection, WorkflowStartupScripts.Sqlite());
            // The inbox shows the project behind each task's business key.
            await migrator.UpgradeAsync(connection, new Trading.Workflow.Domain.Persistence.TradingSchemaModule(
                "projects", "Trading.Workflow.Domain.Projects.Schema").ScriptsFor(DatabaseProvider.Sqlite));
        }

        inbox.Projects = new Trading.Workflow.Domain.Projects.ProjectLookup(new Trading.Workflow.Domain.Persistence.TradingDatabase(inbox.Database));

        // Near due: within 24 hours (no business calendar here).
        var reminders = Options.Create(new TaskReminderOptions { NearDueWorkingDays = 0, NearDueWindow = TimeSpan.FromHours(24) });
        inbox.DueStates = new TaskDueStateEvaluator(inbox.Clock, reminders, NullLogger<TaskDueStateEvaluator>.Instance);
        inbox.Queries = new InboxQueries(new Trading.Workflow.Engine.Persistence.Queries.WorkflowQueries(inbox.Database), inbox.DueStates, inbox.Clock);
        return inbox;
    }

    /// <summary>Adds an open task assigned to <paramref name="assignee"/>, or offered to <paramref name="role"/> when unassigned.</summary>
    public async Task<Guid> AddOpenTaskAsync(
        string businessKey,
        string? name = "审核招标公告",
        string? assignee = null,
        string? role = null,
        DateTimeOffset? due = null,
        int priority = 50,
        string processId = "engineering-construction.open-tender",
        string elementId = "reviewAnnouncement")
    {
        var id = Guid.CreateVersion7();
        await using var connection = await Database.OpenConnectionAsync();
        await using var db = Database.CreateContext(connection);
        db.Tasks.Add(new TaskEntity
        {
            Id = id,
            InstanceId = Guid.NewGuid(),
            ExecutionId = 1,
            ProcessId = processId,
            ProcessVersion = 1,
            BusinessKey = businessKey,
            ElementId = elementId,
            Name = name,
            Assignee = assignee,
            Due = due,
            Priority = priority,
            State = (int)UserTaskState.Open,
            CreatedAt = Now,
        });
        var dueKey = due?.UtcTicks ?? long.MaxValue;
        if (assignee is not null)
        {
            db.TaskCandidates.Add(new TaskCandidateEntity { TaskId = id, Kind = CandidateKind.Assignee, Value = assignee, Active = true, DueKey = dueKey });
        }

        if (role is not null)
        {
            db.TaskCandidates.Add(new TaskCandidateEntity { TaskId = id, Kind = CandidateKind.Role, Value = role, Active = assignee is null, DueKey = dueKey });
        }

        await db.SaveChangesAsync();
        return id;
    }

    /// <summary>Stores a published version of a procedure, as publishing does (the XML is what the names are read from).</summary>
    public async Task AddDefinitionAsync(string processId, int version, string bpmnXml)
    {
        await using var connection = await Database.OpenConnectionAsync();
        await using var db = Database.CreateContext(connection);
        db.Definitions.Add(new DefinitionEntity
        {
            Id = Guid.CreateVersion7(),
            ProcessId = processId,
            Version = version,
            State = DefinitionState.Published,
            BpmnXml = bpmnXml,
            CreatedAt = Now,
            PublishedAt = Now,
        });
        await db.SaveChangesAsync();
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans the temp folder.
        }

        return ValueTask.CompletedTask;
    }
}

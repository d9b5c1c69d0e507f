using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Npgsql;
using Trading.Workflow.Engine.Persistence;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Web.Workflow;

/// <summary>
/// Live task changes across the nodes of one PostgreSQL database: the changes committed on this node
/// (<see cref="TaskNotifier.CommittedHere"/>) are sent with <c>pg_notify</c> on <see cref="ChannelName"/>, and the
/// changes other nodes send are raised here as <see cref="TaskNotifier.TasksChanged"/>, so an inbox open on any node
/// refreshes. PostgreSQL's LISTEN/NOTIFY needs nothing beside the database a cluster already shares (a Redis
/// backplane would be one more service to run, secure and watch); a notification is delivered only after the
/// sending transaction commits, and a lost listener connection is opened again. Does nothing on SQLite (one node).
/// </summary>
public sealed partial class PostgresTaskChangeFeed(
    TaskNotifier notifier, IOptions<WorkflowPersistenceOptions> options, ILogger<PostgresTaskChangeFeed> logger) : BackgroundService
{
    public const string ChannelName = "tw_task_changes";

    // PostgreSQL refuses payloads of 8000 bytes or more; stay well under it.
    private const int MaxPayloadBytes = 7000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Channel<IReadOnlyList<TaskChange>> _outgoing = Channel.CreateUnbounded<IReadOnlyList<TaskChange>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>This node, so it ignores its own notifications.</summary>
    public string NodeId { get; } = Guid.NewGuid().ToString("N");

    private bool Enabled => options.Value.Provider == DatabaseProvider.PostgreSql;

    /// <summary>Completes once this node listens (tests wait for it before committing on another node).</summary>
    public Task Listening => _listening.Task;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (Enabled)
        {
            notifier.CommittedHere += OnCommittedHere;
        }
        else
        {
            _listening.TrySetResult();
        }

        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        notifier.CommittedHere -= OnCommittedHere;
        _outgoing.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Enabled ? Task.WhenAll(ListenAsync(stoppingToken), SendAsync(stoppingToken)) : Task.CompletedTask;

    // Raised on the committing thread: only queue.
    private void OnCommittedHere(IReadOnlyList<TaskChange> changes) => _outgoing.Writer.TryWrite(changes);

    private async Task SendAsync(CancellationToken stoppingToken)
    {
        await foreach (var changes in _outgoing.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await using var connection = new NpgsqlConnection(options.Value.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                foreach (var payload in Payloads(NodeId, changes))
                {
                    await using var command = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
                    command.Parameters.AddWithValue("channel", ChannelName);
                    command.Parameters.AddWithValue("payload", payload);
                    await command.ExecuteNonQueryAsync(stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Other nodes' inboxes refresh at their next load instead; nothing committed is lost.
                LogSendFailed(e, changes.Count);
            }
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(options.Value.ConnectionString) { KeepAlive = 30, Pooling = false };
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => OnNotification(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {ChannelName}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                _listening.TrySetResult();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogListenFailed(e);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    private void OnNotification(string payload)
    {
        try
        {
            var message = JsonSerializer.Deserialize<FeedMessage>(payload, Json);
            if (message is null || message.Node == NodeId || message.Changes.Count == 0)
            {
                return;
            }

            notifier.PublishRemote(message.Changes);
        }
        catch (JsonException e)
        {
            LogUnreadable(e);
        }
    }

    /// <summary>The changes as notification payloads, each under PostgreSQL's limit (a change alone always fits).</summary>
    internal static IEnumerable<string> Payloads(string node, IReadOnlyList<TaskChange> changes)
    {
        var batch = new List<TaskChange>();
        string? fitting = null;
        foreach (var change in changes)
        {
            batch.Add(change);
            var text = JsonSerializer.Serialize(new FeedMessage(node, batch), Json);
            if (Encoding.UTF8.GetByteCount(text) <= MaxPayloadBytes || batch.Count == 1)
            {
                fitting = text;
                continue;
            }

            yield return fitting!;
            batch = [change];
            fitting = JsonSerializer.Serialize(new FeedMessage(node, batch), Json);
        }

        if (fitting is not null)
        {
            yield return fitting;
        }
    }

    internal sealed record FeedMessage(string Node, IReadOnlyList<TaskChange> Changes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send {Count} task changes to the other nodes")]
    private partial void LogSendFailed(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for other nodes' task changes failed; trying again")]
    private partial void LogListenFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A task change notification from another node could not be read")]
    private partial void LogUnreadable(Exception exception);
}

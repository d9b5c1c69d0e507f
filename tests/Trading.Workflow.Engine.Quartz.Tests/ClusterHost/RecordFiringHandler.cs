using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.Persistence.Store;

namespace Trading.Workflow.Engine.Quartz.ClusterHost;

/// <summary>
/// The step after the timer: records which node fired it, in the engine's own transaction, so a row exists exactly
/// when the firing committed. Two rows for one instance would be a double firing.
/// </summary>
public sealed class RecordFiringHandler(string node, TimeSpan work) : IServiceTaskHandler
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS timer_firings (instance_id uuid NOT NULL, node text NOT NULL, fired_at timestamptz NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_timer_firings_instance ON timer_firings (instance_id);
        """;

    public string Name => "recordFiring";

    public string Description => "Records the node that fired the timer (cluster test).";

    public async ValueTask ExecuteAsync(ServiceTaskContext context)
    {
        var transaction = context.Transaction as WorkflowTransaction
            ?? throw new InvalidOperationException("The cluster host needs the durable store's transaction.");
        await using var command = transaction.Connection.CreateCommand();
        command.Transaction = transaction.Transaction;
        command.CommandText = "INSERT INTO timer_firings (instance_id, node, fired_at) VALUES (@instance, @node, clock_timestamp())";
        var instance = command.CreateParameter();
        instance.ParameterName = "instance";
        instance.Value = context.InstanceId;
        command.Parameters.Add(instance);
        var name = command.CreateParameter();
        name.ParameterName = "node";
        name.Value = node;
        command.Parameters.Add(name);
        await command.ExecuteNonQueryAsync(context.CancellationToken);

        // A real handler takes time too; a kill lands while firings are in flight.
        await Task.Delay(work, context.CancellationToken);
    }
}

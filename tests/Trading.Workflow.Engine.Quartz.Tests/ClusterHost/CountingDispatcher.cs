using Npgsql;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Engine.Quartz.ClusterHost;

/// <summary>
/// Stands in for the engine behind the same Quartz jobs: a firing is a row in <c>timer_firings</c>. Like the engine,
/// it refuses to fire a timer whose effect is already committed (a redelivery after a crash is logged in
/// <c>timer_redeliveries</c>), but nothing stops two concurrent firings: the table has no unique key, so a timer fired
/// by both nodes at once shows up as two rows.
/// </summary>
public sealed class CountingDispatcher(string connectionString, string node, TimeSpan work) : IWorkflowWorkDispatcher
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS timer_firings (timer_id uuid NOT NULL, node text NOT NULL, fired_at timestamptz NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_timer_firings_timer ON timer_firings (timer_id);
        CREATE TABLE IF NOT EXISTS timer_redeliveries (timer_id uuid NOT NULL, node text NOT NULL, at timestamptz NOT NULL);
        """;

    public async ValueTask<TimerFireResult> FireTimerAsync(Guid timerId, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO timer_firings (timer_id, node, fired_at)
            SELECT @id, @node, clock_timestamp() WHERE NOT EXISTS (SELECT 1 FROM timer_firings WHERE timer_id = @id)
            """, connection, transaction);
        insert.Parameters.AddWithValue("id", timerId);
        insert.Parameters.AddWithValue("node", node);
        var inserted = await insert.ExecuteNonQueryAsync(cancellationToken);
        if (inserted == 0)
        {
            await using var redelivery = new NpgsqlCommand("INSERT INTO timer_redeliveries (timer_id, node, at) VALUES (@id, @node, clock_timestamp())", connection, transaction);
            redelivery.Parameters.AddWithValue("id", timerId);
            redelivery.Parameters.AddWithValue("node", node);
            await redelivery.ExecuteNonQueryAsync(cancellationToken);
        }

        // The engine's command takes time too; a kill lands while firings are in flight.
        await Task.Delay(work, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new TimerFireResult(inserted == 0 ? TimerFireOutcome.Withdrawn : TimerFireOutcome.Fired);
    }

    public ValueTask<bool> OpenTimerIncidentAsync(Guid timerId, string message, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The cluster host's firings never fail.");

    public ValueTask<JobExecutionResult?> ExecuteJobAsync(Guid jobId, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The cluster host counts timer firings only.");
}

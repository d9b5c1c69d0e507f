using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Persistence.Store;

/// <summary>
/// The part of an instance aggregate kept as one JSON document in its row: executions (without their variables,
/// which have rows of their own), open tasks, subscriptions, timers, jobs and open incidents. Loading an instance
/// is then one row plus its variables; the indexed tables beside it exist for queries.
/// </summary>
internal sealed class InstanceDocument
{
    private static readonly JsonSerializerOptions Options = new()
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { DropExecutionVariables } },
    };

    public List<ExecutionRecord> Executions { get; set; } = [];

    public List<UserTaskRecord> Tasks { get; set; } = [];

    public List<SubscriptionRecord> Subscriptions { get; set; } = [];

    public List<TimerRecord> Timers { get; set; } = [];

    public List<JobRecord> Jobs { get; set; } = [];

    public List<IncidentRecord> Incidents { get; set; } = [];

    public static string Write(ProcessInstanceRecord record) => JsonSerializer.Serialize(
        new InstanceDocument
        {
            Executions = record.Executions,
            Tasks = record.Tasks,
            Subscriptions = record.Subscriptions,
            Timers = record.Timers,
            Jobs = record.Jobs,
            Incidents = record.Incidents,
        },
        Options);

    public static InstanceDocument Read(string json) =>
        JsonSerializer.Deserialize<InstanceDocument>(json, Options) ?? new InstanceDocument();

    private static void DropExecutionVariables(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Type != typeof(ExecutionRecord))
        {
            return;
        }

        for (var i = typeInfo.Properties.Count - 1; i >= 0; i--)
        {
            if (typeInfo.Properties[i].Name == nameof(ExecutionRecord.Variables))
            {
                typeInfo.Properties.RemoveAt(i);
            }
        }
    }
}

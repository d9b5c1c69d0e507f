using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Runtime;

/// <summary>An instance a command works on: its private copy, its definition, and what it looked like when loaded.</summary>
internal sealed class LoadedInstance(ProcessInstanceRecord record, DeployedProcess definition, bool isNew)
{
    public ProcessInstanceRecord Record { get; } = record;

    public DeployedProcess Definition { get; } = definition;

    public CompiledProcess Compiled { get; } = CompiledProcess.For(definition.Model);

    public long ExpectedVersion { get; } = record.Version;

    public bool IsNew { get; } = isNew;

    /// <summary>Timers and jobs (id, due) at load, to tell the schedulers what changed after commit.</summary>
    public (Guid Id, DateTimeOffset Due)[] OriginalTimers { get; } = Snapshot(record.Timers);

    public (Guid Id, DateTimeOffset Due)[] OriginalJobs { get; } = Snapshot(record.Jobs);

    /// <summary>Set when the state changes to Suspended or back, so schedulers hear of every pending timer again.</summary>
    /// <summary>Started on the version read as its process's latest usable one (see <see cref="Store.InstanceChange.OnLatestVersion"/>).</summary>
    public bool OnLatestVersion { get; set; }

    public bool Resumed { get; set; }

    public ExecutionRecord? Find(int executionId)
    {
        var list = Record.Executions;
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].Id == executionId)
            {
                return list[i];
            }
        }

        return null;
    }

    public ExecutionRecord Root
    {
        get
        {
            var list = Record.Executions;
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i].Kind == ExecutionKind.Process)
                {
                    return list[i];
                }
            }

            throw new InvalidOperationException($"Instance {Record.Id} has no process execution.");
        }
    }

    public bool HasChildren(ExecutionRecord parent)
    {
        var list = Record.Executions;
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].ParentId == parent.Id)
            {
                return true;
            }
        }

        return false;
    }

    public List<ExecutionRecord> Children(ExecutionRecord parent)
    {
        var result = new List<ExecutionRecord>();
        var list = Record.Executions;
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].ParentId == parent.Id)
            {
                result.Add(list[i]);
            }
        }

        return result;
    }

    private static (Guid, DateTimeOffset)[] Snapshot(List<TimerRecord> timers)
    {
        if (timers.Count == 0)
        {
            return [];
        }

        var result = new (Guid, DateTimeOffset)[timers.Count];
        for (var i = 0; i < timers.Count; i++)
        {
            result[i] = (timers[i].Id, timers[i].Due);
        }

        return result;
    }

    private static (Guid, DateTimeOffset)[] Snapshot(List<JobRecord> jobs)
    {
        if (jobs.Count == 0)
        {
            return [];
        }

        var result = new (Guid, DateTimeOffset)[jobs.Count];
        for (var i = 0; i < jobs.Count; i++)
        {
            result[i] = (jobs[i].Id, jobs[i].Due);
        }

        return result;
    }
}

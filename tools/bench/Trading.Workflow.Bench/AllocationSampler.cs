using System.Diagnostics.Tracing;

namespace Trading.Workflow.Bench;

/// <summary>
/// Which types the allocations are, from the runtime's allocation ticks (one event about every 100 KB allocated,
/// naming the type that crossed the mark): a sample, so shares under a few percent are noise.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly Dictionary<string, long> _bytesByType = [];
    private readonly Lock _lock = new();
    private bool _enabled;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    public void Start()
    {
        lock (_lock)
        {
            _bytesByType.Clear();
            _enabled = true;
        }
    }

    public IReadOnlyList<(string Type, long Bytes)> Stop()
    {
        lock (_lock)
        {
            _enabled = false;
            return [.. _bytesByType.OrderByDescending(p => p.Value).Select(p => (p.Key, p.Value))];
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!eventData.EventName!.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.Payload is null)
        {
            return;
        }

        var type = eventData.PayloadNames!.IndexOf("TypeName") is var t and >= 0 ? eventData.Payload[t] as string ?? "?" : "?";
        var amount = eventData.PayloadNames.IndexOf("AllocationAmount") is var a and >= 0 ? Convert.ToInt64(eventData.Payload[a]) : 0;
        lock (_lock)
        {
            if (_enabled)
            {
                _bytesByType[type] = _bytesByType.GetValueOrDefault(type) + amount;
            }
        }
    }
}

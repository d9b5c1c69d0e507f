namespace Trading.Workflow.Engine.Model;

public abstract partial class Gateway : FlowNode;

public sealed partial class ExclusiveGateway : Gateway
{
    public override string ElementType => "exclusiveGateway";
}

public sealed partial class ParallelGateway : Gateway
{
    public override string ElementType => "parallelGateway";
}

public sealed partial class InclusiveGateway : Gateway
{
    public override string ElementType => "inclusiveGateway";
}

public sealed partial class EventBasedGateway : Gateway
{
    public override string ElementType => "eventBasedGateway";
}

/// <summary>Parsed so the validator can name it; the engine does not execute complex gateways.</summary>
public sealed partial class ComplexGateway : Gateway
{
    public override string ElementType => "complexGateway";
}

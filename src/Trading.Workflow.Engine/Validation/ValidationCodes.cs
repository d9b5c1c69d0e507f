namespace Trading.Workflow.Engine.Validation;

/// <summary>Stable codes of validation problems, for tests, the CLI and the designer.</summary>
public static class ValidationCodes
{
    // Found while parsing (BpmnDefinitions.ParseProblems).
    public const string MissingId = "MISSING_ID";
    public const string DuplicateId = "DUPLICATE_ID";
    public const string BrokenReference = "BROKEN_REFERENCE";
    public const string ErrorRefAsCode = "ERROR_REF_AS_CODE";
    public const string FlowCrossesScope = "FLOW_CROSSES_SCOPE";
    public const string BoundaryNotAttached = "BOUNDARY_NOT_ATTACHED";
    public const string DefaultFlowInvalid = "DEFAULT_FLOW_INVALID";
    public const string ScriptRefused = "SCRIPT_REFUSED";
    public const string ListenerIgnored = "LISTENER_IGNORED";
    public const string MappingUnsupported = "MAPPING_UNSUPPORTED";
    public const string LoopUnsupported = "LOOP_UNSUPPORTED";
    public const string DecisionUnsupported = "DECISION_UNSUPPORTED";
    public const string CompensationUnsupported = "COMPENSATION_UNSUPPORTED";
    public const string CallBindingUnsupported = "CALL_BINDING_UNSUPPORTED";
    public const string NameMissing = "NAME_MISSING";

    // Found by the validator.
    public const string NoProcess = "NO_PROCESS";
    public const string ProcessNotExecutable = "PROCESS_NOT_EXECUTABLE";
    public const string NoStartEvent = "NO_START_EVENT";
    public const string MultipleNoneStartEvents = "MULTIPLE_NONE_START_EVENTS";
    public const string StartEventInvalid = "START_EVENT_INVALID";
    public const string EventSubProcessStart = "EVENT_SUBPROCESS_START";
    public const string EventSubProcessConnected = "EVENT_SUBPROCESS_CONNECTED";
    public const string Unreachable = "UNREACHABLE";
    public const string DeadEnd = "DEAD_END";
    public const string ImplicitEnd = "IMPLICIT_END";
    public const string StartHasIncoming = "START_HAS_INCOMING";
    public const string EndHasOutgoing = "END_HAS_OUTGOING";
    public const string GatewayNoOutgoing = "GATEWAY_NO_OUTGOING";
    public const string ConditionMissing = "CONDITION_MISSING";
    public const string ConditionIgnored = "CONDITION_IGNORED";
    public const string EventGatewayTarget = "EVENT_GATEWAY_TARGET";
    public const string ExpressionInvalid = "EXPRESSION_INVALID";
    public const string TimerInvalid = "TIMER_INVALID";
    public const string TimerEmpty = "TIMER_EMPTY";
    public const string ServiceNoHandler = "SERVICE_NO_HANDLER";
    public const string HandlerUnknown = "HANDLER_UNKNOWN";
    public const string UserTaskNoReceiver = "USER_TASK_NO_RECEIVER";
    public const string CallNoTarget = "CALL_NO_TARGET";
    public const string CallUnknownProcess = "CALL_UNKNOWN_PROCESS";
    public const string DuplicateProcessInSet = "DUPLICATE_PROCESS_IN_SET";
    public const string ScriptTaskRefused = "SCRIPT_TASK_REFUSED";
    public const string UnsupportedElement = "UNSUPPORTED_ELEMENT";
    public const string UnsupportedEvent = "UNSUPPORTED_EVENT";
    public const string MultipleEventDefinitions = "MULTIPLE_EVENT_DEFINITIONS";
    public const string MessageMissing = "MESSAGE_MISSING";
    public const string SignalMissing = "SIGNAL_MISSING";
    public const string ErrorEndNoError = "ERROR_END_NO_ERROR";
    public const string CatchEventNoDefinition = "CATCH_EVENT_NO_DEFINITION";
    public const string ErrorBoundaryNonInterrupting = "ERROR_BOUNDARY_NON_INTERRUPTING";
    public const string MultiInstanceEmpty = "MULTI_INSTANCE_EMPTY";
}

namespace Trading.Workflow.Engine.Persistence.Schema;

/// <summary>What an upgrade did: the version before, the version after and the scripts applied on the way.</summary>
public sealed record SchemaUpgradeResult(string Module, int FromVersion, int ToVersion, IReadOnlyList<int> AppliedVersions);

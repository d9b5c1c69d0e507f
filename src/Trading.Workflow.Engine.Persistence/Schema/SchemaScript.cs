namespace Trading.Workflow.Engine.Persistence.Schema;

/// <summary>One versioned SQL script of a module: version 1 creates, each later version upgrades in place.</summary>
public sealed record SchemaScript(int Version, string Name, string Sql);

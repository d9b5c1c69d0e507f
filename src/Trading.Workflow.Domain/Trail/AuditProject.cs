namespace Trading.Workflow.Domain.Trail;

/// <summary>
/// The project a trail record concerns, kept beside the chain (<c>tr_audit_projects</c>) so a project's records are
/// found by key instead of a scan of every record's data. Not hashed: the chain and its records stay as they are, and
/// the key is derived from the record itself (<see cref="AuditTrail.ProjectOf"/>), so it can be rebuilt and checked.
/// </summary>
public sealed record AuditProject(long Sequence, Guid ProjectId);

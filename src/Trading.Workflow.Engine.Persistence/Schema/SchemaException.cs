namespace Trading.Workflow.Engine.Persistence.Schema;

/// <summary>The schema cannot be brought to the version this build expects.</summary>
public sealed class SchemaException : Exception
{
    public SchemaException(string message)
        : base(message)
    {
    }

    public SchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

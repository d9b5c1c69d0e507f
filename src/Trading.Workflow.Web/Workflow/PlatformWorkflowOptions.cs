using Microsoft.Extensions.Options;
using Trading.Workflow.Web.Configuration;

namespace Trading.Workflow.Web.Workflow;

/// <summary>How the web app hosts the workflow engine. Bound from <c>Workflow:Platform</c>.</summary>
public sealed class PlatformWorkflowOptions
{
    public const string SectionName = "Workflow:Platform";

    /// <summary>
    /// Folder of the platform's procedures (BPMN files and their forms), deployed at first start. A relative path is
    /// looked up beside the binaries first, then in the working directory. Default "workflows".
    /// </summary>
    public string ProceduresFolder { get; set; } = "workflows";

    /// <summary>Publish every procedure of <see cref="ProceduresFolder"/> that has no published version yet. Default true.</summary>
    public bool DeployProceduresOnStart { get; set; } = true;

    /// <summary>Schedule timers and async steps on Quartz in the application database. Default true; off only for tools and tests that fire timers by hand.</summary>
    public bool UseQuartz { get; set; } = true;

    /// <summary>Largest file a task form accepts, in bytes. Default 20 MB.</summary>
    public long MaxUploadBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>Rows per inbox page. Default 20.</summary>
    public int InboxPageSize { get; set; } = 20;

    internal sealed class Validator : IValidateOptions<PlatformWorkflowOptions>
    {
        public ValidateOptionsResult Validate(string? name, PlatformWorkflowOptions options)
        {
            var errors = new OptionsErrors();
            errors.Require(!string.IsNullOrWhiteSpace(options.ProceduresFolder), $"{SectionName}:ProceduresFolder", "must name a folder.");
            errors.Require(options.MaxUploadBytes > 0, $"{SectionName}:MaxUploadBytes", "must be positive.");
            errors.Require(options.InboxPageSize is >= 5 and <= 200, $"{SectionName}:InboxPageSize", "must be between 5 and 200.");
            return errors.Result();
        }
    }

    public string ResolveProceduresFolder(string contentRoot)
    {
        if (Path.IsPathRooted(ProceduresFolder))
        {
            return ProceduresFolder;
        }

        var besideBinaries = Path.Combine(AppContext.BaseDirectory, ProceduresFolder);
        return Directory.Exists(besideBinaries) ? besideBinaries : Path.GetFullPath(Path.Combine(contentRoot, ProceduresFolder));
    }
}

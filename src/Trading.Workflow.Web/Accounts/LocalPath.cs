namespace Trading.Workflow.Web.Accounts;

/// <summary>Guards redirects after sign-in, sign-out and language switch against open redirects.</summary>
public static class LocalPath
{
    /// <summary>The path when it is a local absolute path such as "/admin/users?x=1", otherwise "/".</summary>
    public static string OrHome(string? path) =>
        !string.IsNullOrEmpty(path) && path[0] == '/'
        && (path.Length == 1 || (path[1] != '/' && path[1] != '\\'))
        && !path.Any(char.IsControl)
            ? path
            : "/";
}

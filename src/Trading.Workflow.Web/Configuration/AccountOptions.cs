using Microsoft.Extensions.Options;

namespace Trading.Workflow.Web.Configuration;

/// <summary>Password policy, lockout and sign-in cookie lifetime.</summary>
public sealed class AccountOptions
{
    public const string SectionName = "Accounts";

    public PasswordPolicy Password { get; set; } = new();

    public LockoutPolicy Lockout { get; set; } = new();

    /// <summary>How long a sign-in lasts without activity. Default 8 hours.</summary>
    public int CookieExpireHours { get; set; } = 8;

    public sealed class PasswordPolicy
    {
        /// <summary>Default 8, allowed 6 to 128.</summary>
        public int RequiredLength { get; set; } = 8;

        public bool RequireDigit { get; set; } = true;

        public bool RequireLowercase { get; set; } = true;

        public bool RequireUppercase { get; set; } = true;

        public bool RequireNonAlphanumeric { get; set; } = true;
    }

    public sealed class LockoutPolicy
    {
        /// <summary>Failed sign-ins before the account locks. Default 5, allowed 1 to 100.</summary>
        public int MaxFailedAccessAttempts { get; set; } = 5;

        /// <summary>How long a locked account stays locked. Default 15, allowed 1 to 10080 (a week).</summary>
        public int LockoutMinutes { get; set; } = 15;
    }

    internal sealed class Validator : IValidateOptions<AccountOptions>
    {
        public ValidateOptionsResult Validate(string? name, AccountOptions options)
        {
            var errors = new OptionsErrors();
            errors.Require(options.Password.RequiredLength is >= 6 and <= 128,
                $"{SectionName}:Password:RequiredLength", "must be between 6 and 128.");
            errors.Require(options.Lockout.MaxFailedAccessAttempts is >= 1 and <= 100,
                $"{SectionName}:Lockout:MaxFailedAccessAttempts", "must be between 1 and 100.");
            errors.Require(options.Lockout.LockoutMinutes is >= 1 and <= 10080,
                $"{SectionName}:Lockout:LockoutMinutes", "must be between 1 and 10080.");
            errors.Require(options.CookieExpireHours is >= 1 and <= 720,
                $"{SectionName}:CookieExpireHours", "must be between 1 and 720.");
            return errors.Result();
        }
    }
}

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
        /// <summary>Default 8, allowed 6 to 128. Length and the common-password list protect better than symbol rules.</summary>
        public int RequiredLength { get; set; } = 8;

        /// <summary>Symbol rules are off by default (NIST SP 800-63B); a deployment may turn them on.</summary>
        public bool RequireDigit { get; set; }

        public bool RequireLowercase { get; set; }

        public bool RequireUppercase { get; set; }

        public bool RequireNonAlphanumeric { get; set; }
    }

    public sealed class LockoutPolicy
    {
        /// <summary>
        /// Failed sign-ins of one account from one client address before that address may not try it any more for
        /// <see cref="LockoutMinutes"/>. Default 5, allowed 1 to 100. Other addresses can still sign in to the account.
        /// </summary>
        public int MaxFailedAccessAttempts { get; set; } = 5;

        /// <summary>Failed sign-ins from one client address, whatever the accounts, before it is blocked. Default 20, allowed 1 to 10000.</summary>
        public int MaxFailuresPerAddress { get; set; } = 20;

        /// <summary>The window failures are counted in and how long a block lasts. Default 15, allowed 1 to 10080 (a week).</summary>
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
            errors.Require(options.Lockout.MaxFailuresPerAddress is >= 1 and <= 10000,
                $"{SectionName}:Lockout:MaxFailuresPerAddress", "must be between 1 and 10000.");
            errors.Require(options.Lockout.LockoutMinutes is >= 1 and <= 10080,
                $"{SectionName}:Lockout:LockoutMinutes", "must be between 1 and 10080.");
            errors.Require(options.CookieExpireHours is >= 1 and <= 720,
                $"{SectionName}:CookieExpireHours", "must be between 1 and 720.");
            return errors.Result();
        }
    }
}

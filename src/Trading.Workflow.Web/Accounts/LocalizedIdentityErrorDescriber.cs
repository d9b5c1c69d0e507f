using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace Trading.Workflow.Web.Accounts;

/// <summary>Identity's validation messages (password policy, duplicate names...) in the user's language.</summary>
public sealed class LocalizedIdentityErrorDescriber(IStringLocalizer<SharedResource> text) : IdentityErrorDescriber
{
    public override IdentityError DefaultError() => Error(nameof(DefaultError), text["Identity.DefaultError"]);

    public override IdentityError ConcurrencyFailure() => Error(nameof(ConcurrencyFailure), text["Identity.ConcurrencyFailure"]);

    public override IdentityError PasswordMismatch() => Error(nameof(PasswordMismatch), text["Identity.PasswordMismatch"]);

    public override IdentityError InvalidUserName(string? userName) => Error(nameof(InvalidUserName), text["Identity.InvalidUserName", userName ?? string.Empty]);

    public override IdentityError InvalidEmail(string? email) => Error(nameof(InvalidEmail), text["Identity.InvalidEmail", email ?? string.Empty]);

    public override IdentityError DuplicateUserName(string userName) => Error(nameof(DuplicateUserName), text["Identity.DuplicateUserName", userName]);

    public override IdentityError DuplicateEmail(string email) => Error(nameof(DuplicateEmail), text["Identity.DuplicateEmail", email]);

    public override IdentityError UserAlreadyInRole(string role) => Error(nameof(UserAlreadyInRole), text["Identity.UserAlreadyInRole", role]);

    public override IdentityError UserNotInRole(string role) => Error(nameof(UserNotInRole), text["Identity.UserNotInRole", role]);

    public override IdentityError PasswordTooShort(int length) => Error(nameof(PasswordTooShort), text["Identity.PasswordTooShort", length]);

    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) =>
        Error(nameof(PasswordRequiresUniqueChars), text["Identity.PasswordRequiresUniqueChars", uniqueChars]);

    public override IdentityError PasswordRequiresNonAlphanumeric() => Error(nameof(PasswordRequiresNonAlphanumeric), text["Identity.PasswordRequiresNonAlphanumeric"]);

    public override IdentityError PasswordRequiresDigit() => Error(nameof(PasswordRequiresDigit), text["Identity.PasswordRequiresDigit"]);

    public override IdentityError PasswordRequiresLower() => Error(nameof(PasswordRequiresLower), text["Identity.PasswordRequiresLower"]);

    public override IdentityError PasswordRequiresUpper() => Error(nameof(PasswordRequiresUpper), text["Identity.PasswordRequiresUpper"]);

    private static IdentityError Error(string code, string description) => new() { Code = code, Description = description };
}

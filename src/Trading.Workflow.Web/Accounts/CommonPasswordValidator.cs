using System.Collections.Frozen;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Trading.Workflow.Web.Data;

namespace Trading.Workflow.Web.Accounts;

/// <summary>
/// Refuses passwords that guessing tries first: those on a list of the most common and most often breached passwords
/// (Chinese and international), the same with digits or symbols added before or after and letters written as digits
/// (<c>Password1!</c>, <c>P@ssw0rd</c>), passwords made of very few different characters (<c>Aa1!aaaa</c>), passwords that
/// contain the user name, and passwords longer than <see cref="MaxLength"/> (hashing them would cost the server).
/// </summary>
public sealed class CommonPasswordValidator(IStringLocalizer<SharedResource> text) : IPasswordValidator<AppUser>
{
    public const int MaxLength = 128;

    /// <summary>Fewest different characters (case ignored) a password must have.</summary>
    public const int MinDistinctCharacters = 5;

    public Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return Task.FromResult(IdentityResult.Success);
        }

        if (password.Length > MaxLength)
        {
            return Fail("PasswordTooLong", text["Identity.PasswordTooLong", MaxLength]);
        }

        if (IsCommon(password))
        {
            return Fail("PasswordCommon", text["Identity.PasswordCommon"]);
        }

        if (password.ToLowerInvariant().Distinct().Count() < MinDistinctCharacters)
        {
            return Fail("PasswordRepetitive", text["Identity.PasswordRepetitive", MinDistinctCharacters]);
        }

        if (user.UserName is { Length: >= 3 } name && password.Contains(name, StringComparison.OrdinalIgnoreCase))
        {
            return Fail("PasswordContainsUserName", text["Identity.PasswordContainsUserName"]);
        }

        return Task.FromResult(IdentityResult.Success);
    }

    /// <summary>True when the password, or its word once digits and symbols around it are removed and digits read as letters, is on the list.</summary>
    public static bool IsCommon(string password)
    {
        var lower = password.ToLowerInvariant();
        if (Common.Contains(lower))
        {
            return true;
        }

        var word = lower.Trim(Decorations);
        if (word.Length >= 4 && Common.Contains(word))
        {
            return true;
        }

        var read = new string(lower.Select(c => Leet.GetValueOrDefault(c, c)).ToArray()).Trim(Decorations);
        return read.Length >= 4 && Common.Contains(read);
    }

    private static Task<IdentityResult> Fail(string code, string description) =>
        Task.FromResult(IdentityResult.Failed(new IdentityError { Code = code, Description = description }));

    private static readonly char[] Decorations = "0123456789!@#$%^&*()-_=+[]{};:'\",.<>/?`~|\\ ".ToCharArray();

    private static readonly Dictionary<char, char> Leet = new()
    {
        ['@'] = 'a', ['4'] = 'a', ['0'] = 'o', ['1'] = 'i', ['!'] = 'i', ['3'] = 'e', ['5'] = 's', ['$'] = 's', ['7'] = 't', ['9'] = 'g',
    };

    /// <summary>The most common passwords of Chinese and international breach corpora, lower case.</summary>
    private static readonly FrozenSet<string> Common = """
        123456 123456789 12345678 12345 1234567 1234567890 123123 111111 000000 654321 666666 888888 121212 112233
        123321 222222 333333 444444 555555 777777 999999 11111111 00000000 88888888 66666666 12341234 147258
        147258369 159357 159753 789456 789456123 987654321 1234qwer qwer1234 1qaz2wsx 1q2w3e4r 1q2w3e4r5t 1q2w3e
        2wsx3edc zaq12wsx qazwsx qazwsxedc qwerty qwertyuiop qwerty123 qwe123 asdfgh asdfghjkl asdf1234 zxcvbn
        zxcvbnm zxcvbnm123 abc123 abcd1234 abcdef abcdefg abcdefgh a123456 a12345678 aa123456 abc123456 123456a
        123456aa 12345a 123abc asd123 aaa111 qq123456 woaini woaini1314 woaini520 iloveyou 5201314 1314520 520520
        521521 7758521 7758258 caonima nihao nihao123 wangwei zhangwei lijing liuyang wangyang zhangjie wangjing
        zhangmin wangfang lixiuying liuwei woshishui shanghai beijing guangzhou shenzhen zhongguo china chinese
        taobao baidu tencent huawei xiaomi admin admin123 admin888 administrator root root123 toor system sysadmin
        manager guest user test test123 tester demo123 default changeme password passw0rd password1 password123
        p@ssw0rd pass pass123 pass1234 letmein welcome welcome1 welcome123 hello hello123 world helloworld login
        login123 master monkey dragon shadow sunshine princess football baseball basketball soccer hockey superman
        batman spiderman starwars trustno1 whatever freedom secret secret123 access access14 mustang michael jordan
        jennifer hunter harley ranger buster thomas robert daniel charlie andrew tigger computer internet killer
        pepper ginger summer winter spring autumn flower cookie cheese chocolate banana orange purple silver golden
        diamond yankees maggie ashley jessica nicole matthew joshua amanda love lovely loveme iloveu ilovu qwerasdf
        asdfqwer 1qazxsw2 zaq1xsw2 !qaz2wsx q1w2e3r4 a1b2c3d4 a1b2c3 azerty 666888 168168 518518 8888888 9999999
        123654 321321 456456 789789 135792468 13579 24680 hao123 woaini123 aini1314 xiaoming xiaohong zhang wang li
        zhao liu chen yang huang zhou wu xu sun ma zhu hu guo he lin luo gao trading tender bidder platform gongshi
        gonggong ziyuan jiaoyi zhaobiao toubiao welcome@1 qwerty1 abc@123 admin@123 admin@2024 admin@2025 admin@2026
        root@123 test@123 pass@123 pass@word1 p@ssword p@55w0rd passw0rd1 password! password1! qwe!23 qwe@123 qweasd
        qweasdzxc asdzxc 1q2w3e4r5t6y aaaaaa aaaaaaaa abcabc abab1212 a1a1a1 iloveyou1 letmein1 football1 monkey1
        dragon1 sunshine1 princess1 baseball1 superman1 michael1 charlie1 jordan23 computer1 master1 shadow1 killer1
        hunter1 jesus jesus1 god christ angel angel1 blessed faith lucky lucky7 money money123 rich boss king queen
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal);
}

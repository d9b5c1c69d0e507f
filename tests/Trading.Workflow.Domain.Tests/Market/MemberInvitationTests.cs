using Trading.Workflow.Domain.Market;

namespace Trading.Workflow.Domain.Tests.Market;

public sealed class MemberInvitationTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.FromHours(8));

    private static MarketEntity Entity()
    {
        var profile = EntityProfile.Create(EntityKind.Organisation, "演示建设集团有限公司", "91350100M000100Y43", "张三", "地址", "350102",
            new BankAccount("银行", "演示建设集团有限公司", "12345678"), [], [], DateOnly.FromDateTime(Now.Date), "350102198001010003");
        return MarketEntity.Register(EntityKind.Organisation, profile, "firm.admin", Now);
    }

    [Fact]
    public void Create_StoresOnlyTheTokensHash()
    {
        var (invitation, token) = MemberInvitation.Create(Entity(), "firm.admin", "clerk01", "王会计", false, Now);

        Assert.NotEqual(token, invitation.TokenHash);
        Assert.Equal(MemberInvitation.HashToken(token), invitation.TokenHash);
        Assert.True(token.Length >= 40);
        Assert.Equal(Now + MemberInvitation.Lifetime, invitation.ExpiresAt);
    }

    [Fact]
    public void Create_ByANonAdministrator_IsRefused()
    {
        var entity = Entity();
        entity.Invite("firm.admin", "clerk", false, Now);

        var error = Assert.Throws<DomainRuleException>(() => MemberInvitation.Create(entity, "clerk", "clerk02", "赵六", false, Now));

        Assert.Equal(MarketRules.NotAMemberAdministrator, error.RuleCode);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("有中文")]
    [InlineData("with space")]
    public void Create_BadUserName_IsRefused(string userName)
    {
        var error = Assert.Throws<DomainRuleException>(() => MemberInvitation.Create(Entity(), "firm.admin", userName, "赵六", false, Now));

        Assert.Equal(MarketRules.InvitationInvalid, error.RuleCode);
    }

    [Fact]
    public void Accept_AddsTheMemberOnce()
    {
        var entity = Entity();
        var (invitation, _) = MemberInvitation.Create(entity, "firm.admin", "clerk01", "王会计", false, Now);

        var member = invitation.Accept(entity, "user-42", Now.AddHours(1));

        Assert.Equal("user-42", member.UserId);
        Assert.False(member.IsAdministrator);
        Assert.Equal("firm.admin", member.InvitedBy);
        Assert.True(entity.IsMember("user-42"));
        Assert.Equal(MarketRules.InvitationUsed,
            Assert.Throws<DomainRuleException>(() => invitation.Accept(entity, "user-43", Now.AddHours(2))).RuleCode);
    }

    [Fact]
    public void Accept_AfterExpiry_IsRefused()
    {
        var entity = Entity();
        var (invitation, _) = MemberInvitation.Create(entity, "firm.admin", "clerk01", "王会计", false, Now);

        var error = Assert.Throws<DomainRuleException>(() => invitation.Accept(entity, "user-42", Now + MemberInvitation.Lifetime));

        Assert.Equal(MarketRules.InvitationExpired, error.RuleCode);
        Assert.False(entity.IsMember("user-42"));
    }

    [Fact]
    public void Revoke_ClosesTheInvitation()
    {
        var entity = Entity();
        var (invitation, _) = MemberInvitation.Create(entity, "firm.admin", "clerk01", "王会计", false, Now);

        invitation.Revoke(entity, "firm.admin", Now);

        Assert.False(invitation.IsOpen(Now));
        Assert.Equal(MarketRules.InvitationUsed, Assert.Throws<DomainRuleException>(() => invitation.EnsureOpen(Now)).RuleCode);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Tests.Persistence;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Market;

/// <summary>Market entities through <see cref="MarketEntityService"/> on real SQLite files and a real PostgreSQL database.</summary>
public sealed class MarketPersistenceTests : IAsyncLifetime
{
    private const string CreditCode = "91350100M000100Y43";
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 2, 0, 0, TimeSpan.Zero);
    private readonly MovingClock _time = new(Start);
    private readonly string _files = Directory.CreateTempSubdirectory("tw-market-files-").FullName;
    private TradingDatabaseHost? _host;

    private static readonly MarketActor Admin = new("user-admin");
    private static readonly MarketActor Staff = new("user-staff", Guid.Parse("6f1c7a0e-8d7e-4a37-9f57-1f7d4f7c0a11"));

    // xUnit 2 disposes a test class through IDisposable or IAsyncLifetime only: IAsyncDisposable alone is never called.
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        Directory.Delete(_files, recursive: true);
    }

    private async Task<MarketEntityService> StartAsync(DatabaseProvider provider)
    {
        _host = await TradingDatabaseHost.StartAsync(provider, services =>
        {
            services.AddSingleton<IFileStore>(new DataFolderFileStore(_files));
            services.AddSingleton<IUserDirectory>(new Accounts(
                new UserAccount("admin", Admin.UserId, null, null, null, [PlatformRoles.Bidder], null, false),
                new UserAccount("person", "user-person", null, null, null, [PlatformRoles.Bidder], null, false)));
            services.AddSingleton<IDocumentAccessRule, MarketScanAccess>();
        }, _time);
        return _host.Services.GetRequiredService<MarketEntityService>();
    }

    private sealed class Accounts(params UserAccount[] accounts) : IUserDirectory
    {
        public Task<UserAccount?> FindByUserNameAsync(string userName, CancellationToken cancellationToken = default) =>
            Task.FromResult(accounts.FirstOrDefault(a => a.UserName == userName));

        public Task<IReadOnlyList<UserAccount>> FindByAccountIdsAsync(IReadOnlyCollection<string> accountIds, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<UserAccount>>([.. accounts.Where(a => accountIds.Contains(a.AccountId))]);

        public Task<IReadOnlyList<UserAccount>> InRoleAsync(string role, Guid? centreId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<UserAccount>>([.. accounts.Where(a => a.Roles.Contains(role))]);
    }

    private static EntityProfile Profile(string name = "演示建设集团有限公司", params Qualification[] qualifications) =>
        EntityProfile.Create(EntityKind.Organisation, name, CreditCode, "张三", "福州市鼓楼区演示路1号", "350102",
            new BankAccount("演示银行福州分行", name, "6222000011112222"), qualifications, [new Contact("李四", "13800000000", "li@example.cn")],
            new DateOnly(2026, 12, 2), "350102198001010003");

    private static Qualification GeneralContracting(DateOnly validUntil, params ScannedDocument[] scans) =>
        new(QualificationKinds.GeneralContracting, "一级", "D135012345", "福建省住房和城乡建设厅", validUntil, scans);

    private async Task<List<AuditEntry>> TrailAsync()
    {
        await using var db = _host!.Database.Create();
        return await db.Set<AuditEntry>().AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
    }

    /// <summary>A verified profile as stored before the legal representative's ID number was asked: the key is absent.</summary>
    private const string ProfileStoredBeforeIdNumbers =
        """{"name":"演示建设集团有限公司","identifier":"91350100M000100Y43","legalRepresentative":"张三","registeredAddress":"福州市鼓楼区演示路1号","regionCode":"350102","basicAccount":{"bank":"演示银行福州分行","accountName":"演示建设集团有限公司","accountNumber":"6222000011112222"},"qualifications":[],"contacts":[{"name":"李四","phone":"13800000000","email":"li@example.cn"}]}""";

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task A_profile_stored_without_the_representative_id_loads_and_a_change_adding_it_lists_the_field(DatabaseProvider provider)
    {
        var market = await StartAsync(provider);
        var registered = await market.RegisterAsync(EntityKind.Organisation, Profile(), Admin);
        var approved = await market.ApproveAsync(registered.Id, registered.Version, Staff);
        await using (var db = _host!.Database.Create())
        {
            // The row as an earlier version wrote it (no EF converter, the JSON text itself).
            Assert.Equal(1, await db.Database.ExecuteSqlRawAsync(
                "UPDATE tr_market_entities SET verified_profile = {0} WHERE identifier = {1}", ProfileStoredBeforeIdNumbers, CreditCode));
        }

        var old = await market.GetAsync(registered.Id);
        Assert.Equal(("张三", null), (old.Verified!.LegalRepresentative, old.Verified.LegalRepresentativeIdNumber));
        Assert.Equal(VerificationStatus.Verified, old.Status);

        var changed = await market.SubmitChangeAsync(registered.Id, Profile(), approved.Version, Admin);

        Assert.Equal("350102198001010003", changed.Submitted!.LegalRepresentativeIdNumber);
        Assert.Equal("350102198001010003", (await market.GetAsync(registered.Id)).Submitted!.LegalRepresentativeIdNumber);
        var updated = Assert.Single(await TrailAsync(), e => e.Action == "market.entity.updated");
        Assert.Contains("\"fields\":[\"legalRepresentativeIdNumber\"]", updated.Data, StringComparison.Ordinal);
        Assert.DoesNotContain("350102198001010003", updated.Data, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Adding_a_qualification_to_a_profile_stored_without_the_representative_id_asks_for_it(DatabaseProvider provider)
    {
        var market = await StartAsync(provider);
        var registered = await market.RegisterAsync(EntityKind.Organisation, Profile(), Admin);
        var approved = await market.ApproveAsync(registered.Id, registered.Version, Staff);
        await using (var db = _host!.Database.Create())
        {
            await db.Database.ExecuteSqlRawAsync(
                "UPDATE tr_market_entities SET verified_profile = {0} WHERE identifier = {1}", ProfileStoredBeforeIdNumbers, CreditCode);
        }

        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4, 5, 6, 7, 8];
        var scan = await market.StoreScanAsync(new MemoryStream(png), "证书.png", "admin");
        var error = await Assert.ThrowsAsync<DomainRuleException>(() =>
            market.AddQualificationAsync(registered.Id, GeneralContracting(new DateOnly(2028, 1, 1), scan), approved.Version, Admin));

        Assert.Equal(MarketRules.LegalRepresentativeIdRequired, error.RuleCode);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Register_approve_change_approve_keeps_the_previous_profile_in_the_history_and_each_action_in_the_trail(DatabaseProvider provider)
    {
        var market = await StartAsync(provider);

        var registered = await market.RegisterAsync(EntityKind.Organisation, Profile(), Admin);
        _time.Advance(TimeSpan.FromHours(1));
        var approved = await market.ApproveAsync(registered.Id, registered.Version, Staff);
        _time.Advance(TimeSpan.FromDays(1));
        var changed = await market.SubmitChangeAsync(registered.Id, Profile("演示建设集团股份有限公司"), approved.Version, Admin);
        _time.Advance(TimeSpan.FromHours(2));
        await market.ApproveAsync(registered.Id, changed.Version, Staff);

        var entity = await market.GetAsync(registered.Id);
        Assert.Equal("演示建设集团股份有限公司", entity.Verified!.Name);
        Assert.Equal("演示建设集团股份有限公司", entity.Name);
        Assert.Equal(VerificationStatus.Verified, entity.Status);
        Assert.Equal(Start.AddDays(1).AddHours(3), entity.VerifiedAt);
        var previous = Assert.Single(entity.History);
        Assert.Equal("演示建设集团有限公司", previous.Profile.Name);
        Assert.Equal("6222000011112222", previous.Profile.BasicAccount!.AccountNumber);
        Assert.Equal("li@example.cn", previous.Profile.Contacts[0].Email);
        Assert.Equal(Start.AddHours(1), previous.VerifiedAt);
        Assert.Equal(Start.AddDays(1).AddHours(3), previous.SupersededAt);
        var member = Assert.Single(entity.Members);
        Assert.True(member.IsAdministrator);
        Assert.Equal(Admin.UserId, member.UserId);

        var trail = await TrailAsync();
        Assert.Equal(
            ["market.entity.registered", "market.entity.approved", "market.entity.updated", "market.entity.submitted", "market.entity.approved"],
            trail.Select(e => e.Action));
        Assert.All(trail, e => Assert.Equal(registered.Id.ToString("D"), e.SubjectId));
        Assert.Equal(Staff.CentreId, trail[1].CentreId);
        Assert.Contains("\"fields\":[\"name\",\"basicAccount\"]", trail[2].Data, StringComparison.Ordinal);
        Assert.True(AuditChain.Verify(trail).IsIntact);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task A_stale_version_or_a_second_registration_of_the_same_code_is_refused_and_leaves_no_trail(DatabaseProvider provider)
    {
        var market = await StartAsync(provider);
        var registered = await market.RegisterAsync(EntityKind.Organisation, Profile(), Admin);
        await market.ReturnAsync(registered.Id, "营业执照扫描件不清晰", registered.Version, Staff);

        var stale = await Assert.ThrowsAsync<DomainRuleException>(() => market.ApproveAsync(registered.Id, registered.Version, Staff));
        var duplicate = await Assert.ThrowsAsync<DomainRuleException>(() => market.RegisterAsync(EntityKind.Organisation, Profile("别名公司"), new MarketActor("other")));

        Assert.Equal(MarketRules.ConcurrentChange, stale.RuleCode);
        Assert.Equal(MarketRules.AlreadyRegistered, duplicate.RuleCode);
        var entity = await market.GetAsync(registered.Id);
        Assert.Equal(VerificationStatus.Returned, entity.Status);
        Assert.Equal("营业执照扫描件不清晰", entity.ReturnReason);
        Assert.Equal(["market.entity.registered", "market.entity.returned"], (await TrailAsync()).Select(e => e.Action));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task The_verification_steps_keep_a_return_and_its_reason_after_the_entity_resubmits(DatabaseProvider provider)
    {
        // The entity row keeps only the latest return reason, cleared by the resubmission; staff still see why it was returned.
        var market = await StartAsync(provider);
        var registered = await market.RegisterAsync(EntityKind.Organisation, Profile(), Admin);
        var returned = await market.ReturnAsync(registered.Id, "营业执照扫描件不清晰", registered.Version, Staff);
        var resubmitted = await market.SubmitChangeAsync(registered.Id, Profile(), returned.Version, Admin);
        await market.ApproveAsync(registered.Id, resubmitted.Version, Staff);

        var steps = await market.VerificationStepsAsync(registered.Id);

        Assert.Null((await market.GetAsync(registered.Id)).ReturnReason);
        Assert.Equal(["registered", "returned", "submitted", "approved"], steps.Select(s => s.Action));
        Assert.Equal("营业执照扫描件不清晰", steps[1].Reason);
        Assert.Equal(Staff.UserId, steps[1].Actor);
        Assert.All(steps.Where(s => s.Action != "returned"), s => Assert.Null(s.Reason));
        Assert.Empty(await market.VerificationStepsAsync(Guid.NewGuid()));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task An_invited_user_joins_by_the_token_once_and_the_membership_service_sees_it(DatabaseProvider provider)
    {
        var market = await StartAsync(provider);
        var membership = _host!.Services.GetRequiredService<IEntityMembership>();
        var entity = await market.RegisterAsync(EntityKind.Organisation, Profile(), Admin);

        var (invitation, token) = await market.InviteAsync(entity.Id, "clerk01", "王会计", asAdministrator: false, Admin);
        var view = await market.FindInvitationAsync(token);
        await market.AcceptInvitationAsync(token, "user-clerk");
        var reuse = await Assert.ThrowsAsync<DomainRuleException>(() => market.AcceptInvitationAsync(token, "user-other"));
        var forged = await Assert.ThrowsAsync<DomainRuleException>(() => market.FindInvitationAsync(token + "x"));

        Assert.Equal(("演示建设集团有限公司", "clerk01"), (view.EntityName, view.UserName));
        Assert.Equal(MarketRules.InvitationUsed, reuse.RuleCode);
        Assert.Equal(MarketRules.InvitationInvalid, forged.RuleCode);
        Assert.True(await membership.IsMemberAsync(entity.Id, "user-clerk"));
        Assert.False(await membership.IsAdministratorAsync(entity.Id, "user-clerk"));
        Assert.True(await membership.IsAdministratorAsync(entity.Id, Admin.UserId));
        var of = Assert.Single(await membership.EntitiesOfAsync("user-clerk"));
        Assert.Equal((entity.Id, "演示建设集团有限公司", false, false), (of.EntityId, of.Name, of.IsAdministrator, of.IsVerified));
        Assert.Equal([Admin.UserId, "user-clerk"], await membership.MembersOfAsync(entity.Id));
        Assert.Equal(invitation.Id, Assert.Single(await market.InvitationsOfAsync(entity.Id)).Id);

        await market.RemoveMemberAsync(entity.Id, "user-clerk", Admin);

        Assert.False(await membership.IsMemberAsync(entity.Id, "user-clerk"));
        Assert.Empty(await membership.EntitiesOfAsync("user-clerk"));
        Assert.Equal(
            ["market.entity.registered", "market.member.invited", "market.member.joined", "market.member.removed"],
            (await TrailAsync()).Select(e => e.Action));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Eligibility_says_why_an_entity_may_not_take_part(DatabaseProvider provider)
    {
        var market = await StartAsync(provider);
        var eligibility = _host!.Services.GetRequiredService<IParticipationEligibility>();
        var scan = new ScannedDocument(new string('a', 64), "资质证书.pdf");
        var waiting = await market.RegisterAsync(EntityKind.Organisation, Profile(qualifications: GeneralContracting(new DateOnly(2027, 6, 30), scan)), Admin);
        var at = new DateTimeOffset(2026, 12, 10, 9, 0, 0, TimeSpan.FromHours(8));
        string[] required = [QualificationKinds.GeneralContracting];

        var unverified = await eligibility.CheckAsync(waiting.Id, required, at);
        var approved = await market.ApproveAsync(waiting.Id, waiting.Version, Staff);
        var eligible = await eligibility.CheckAsync(waiting.Id, required, at);
        var afterExpiry = await eligibility.CheckAsync(waiting.Id, required, new DateTimeOffset(2027, 6, 30, 16, 30, 0, TimeSpan.Zero));
        var missing = await eligibility.CheckAsync(waiting.Id, [QualificationKinds.SafetyLicence], at);
        var unknown = await eligibility.CheckAsync(Guid.NewGuid(), required, at);

        Assert.Equal(MarketRules.NotVerified, Assert.Single(unverified.Problems).RuleCode);
        Assert.True(eligible.IsEligible);
        // 30 June 16:30 UTC is already 1 July in China: the certificate has expired there.
        var expired = Assert.Single(afterExpiry.Problems);
        Assert.Equal((MarketRules.QualificationExpired, new DateOnly(2027, 6, 30)), (expired.RuleCode, expired.ExpiredOn));
        Assert.Equal((MarketRules.QualificationMissing, QualificationKinds.SafetyLicence), (Assert.Single(missing.Problems).RuleCode, missing.Problems[0].Qualification));
        Assert.Equal(MarketRules.EntityNotFound, Assert.Single(unknown.Problems).RuleCode);
        Assert.NotNull(approved.Verified);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task A_qualification_scan_is_stored_by_its_hash_and_served_only_for_its_entity(DatabaseProvider provider)
    {
        var market = await StartAsync(provider);
        var entity = await market.RegisterAsync(EntityKind.Organisation, Profile(), Admin);
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4, 5, 6, 7, 8];
        var other = await market.RegisterAsync(EntityKind.NaturalPerson,
            EntityProfile.Create(EntityKind.NaturalPerson, "王小明", "11010519491231002X", null, "", "110105", null, [], [], new DateOnly(2026, 12, 2)),
            new MarketActor("user-person"));

        var scan = await market.StoreScanAsync(new MemoryStream(png), "证书.png", "admin");
        var added = await market.AddQualificationAsync(entity.Id, GeneralContracting(new DateOnly(2028, 1, 1), scan), entity.Version, Admin);
        var documents = _host!.Services.GetRequiredService<DocumentService>();
        // A member of the entity downloads the scan through the registry: one read, hashed while it streams, recorded.
        await using (var handle = await documents.OpenDownloadAsync(scan.DocumentId!.Value, new DocumentActor("admin", [PlatformRoles.Bidder], null)))
        {
            using var copy = new MemoryStream();
            await handle.CopyToAsync(copy);
            Assert.Equal(png, copy.ToArray());
            Assert.Equal("证书.png", handle.Document.Name);
            Assert.Equal(FileKind.Png, handle.Document.Kind);
        }

        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(png)), scan.Sha256);
        Assert.Equal(scan, Assert.Single(added.Submitted!.Qualifications).Documents.Single());
        Assert.Equal(scan, await market.FindScanAsync(entity.Id, scan.Sha256));
        Assert.Equal(DocumentRules.NotFound, (await Assert.ThrowsAsync<DomainRuleException>(() => market.FindScanAsync(other.Id, scan.Sha256))).RuleCode);
        // A user of another entity may not; staff of any centre may (a scan names no centre).
        var stranger = await Assert.ThrowsAsync<DomainRuleException>(() => documents.OpenDownloadAsync(scan.DocumentId.Value, new DocumentActor("person", [PlatformRoles.Bidder], null)));
        Assert.Equal(DocumentRules.AccessDenied, stranger.RuleCode);
        await (await documents.OpenDownloadAsync(scan.DocumentId.Value, new DocumentActor("staff", [PlatformRoles.Staff], Guid.NewGuid()))).DisposeAsync();
        var trail = await TrailAsync();
        Assert.Contains(trail, e => e.Action == "market.qualification.added" && e.Data.Contains(scan.Sha256, StringComparison.Ordinal));
        Assert.Contains(trail, e => e.Action == "documents.document.uploaded" && e.Actor == "admin" && e.Data.Contains(scan.DocumentId.Value.ToString(), StringComparison.Ordinal));
        Assert.Equal(2, trail.Count(e => e.Action == "documents.document.downloaded"));
        var noScan = await Assert.ThrowsAsync<DomainRuleException>(() =>
            market.AddQualificationAsync(entity.Id, GeneralContracting(new DateOnly(2028, 1, 1)) with { Number = "X-2" }, added.Version, Admin));
        Assert.Equal(MarketRules.QualificationScanRequired, noScan.RuleCode);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task The_queue_lists_waiting_entities_oldest_first_and_searches_by_name_or_code(DatabaseProvider provider)
    {
        var market = await StartAsync(provider);
        var first = await market.RegisterAsync(EntityKind.Organisation, Profile("乙公司"), Admin);
        _time.Advance(TimeSpan.FromMinutes(5));
        var second = await market.RegisterAsync(EntityKind.Organisation,
            EntityProfile.Create(EntityKind.Organisation, "甲公司", "91440300708461136T", "王五", "深圳", "440300",
                new BankAccount("银行", "甲公司", "12345678"), [], [], new DateOnly(2026, 12, 2), "440300198001010003"), Admin);
        await market.ApproveAsync(first.Id, first.Version, Staff);
        _time.Advance(TimeSpan.FromMinutes(5));
        var third = await market.RegisterAsync(EntityKind.NaturalPerson,
            EntityProfile.Create(EntityKind.NaturalPerson, "王小明", "11010519491231002X", null, "", "110105", null, [], [], new DateOnly(2026, 12, 2)), Admin);

        var waiting = await market.ListAsync(EntityListFilter.Waiting, null, 0, 20);
        var verified = await market.ListAsync(EntityListFilter.Verified, null, 0, 20);
        var byCode = await market.ListAsync(EntityListFilter.All, "914403", 0, 20);
        var byName = await market.ListAsync(EntityListFilter.All, "小明", 0, 20);
        var paged = await market.ListAsync(EntityListFilter.All, null, 1, 1);

        Assert.Equal([second.Id, third.Id], waiting.Rows.Select(r => r.Id));
        Assert.Equal(VerificationStatus.PendingVerification, waiting.Rows[0].Status);
        Assert.Equal((first.Id, VerificationStatus.Verified), (Assert.Single(verified.Rows).Id, verified.Rows[0].Status));
        Assert.Equal(second.Id, Assert.Single(byCode.Rows).Id);
        Assert.Equal(third.Id, Assert.Single(byName.Rows).Id);
        Assert.Equal(3, paged.Total);
        Assert.Single(paged.Rows);
    }
}

/// <summary>A clock the test moves.</summary>
internal sealed class MovingClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
